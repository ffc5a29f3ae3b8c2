package io.meshlive.bench.wire;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * Undoes HTTP/1.1 chunked transfer coding in place: the chunk-size lines are parsed here and the
 * chunk data goes on to an FLV scanner as a window of the same buffer, never copied.
 */
public final class HttpChunkedBody {
    /** Eight hex digits would already be a 4 GiB chunk. */
    private static final int MAX_SIZE_DIGITS = 7;

    private enum Stage { SIZE, EXTENSION, DATA, DATA_END, DONE }

    private final FlvTagScanner flv;
    private Stage stage = Stage.SIZE;
    private int size;
    private int digits;
    private int left;

    public HttpChunkedBody(FlvTagScanner flv) {
        this.flv = flv;
    }

    /** Consumes every readable byte of {@code in}; false once the last chunk has been seen. */
    public boolean scan(ByteBuf in) {
        while (in.isReadable()) {
            switch (stage) {
                case SIZE -> sizeLine(in.readByte());
                case EXTENSION -> {
                    if (in.readByte() == '\n') {
                        endSizeLine();
                    }
                }
                case DATA -> {
                    int n = Math.min(left, in.readableBytes());
                    // Show the scanner only this chunk's bytes: a window on the buffer instead of a slice object per chunk.
                    int writerIndex = in.writerIndex();
                    in.writerIndex(in.readerIndex() + n);
                    try {
                        flv.scan(in);
                    } finally {
                        in.writerIndex(writerIndex);
                    }
                    left -= n;
                    if (left == 0) {
                        stage = Stage.DATA_END;
                    }
                }
                case DATA_END -> {
                    byte b = in.readByte();
                    if (b == '\n') {
                        stage = Stage.SIZE;
                    } else if (b != '\r') {
                        throw new CorruptedFrameException("HTTP chunk data longer than its size line said");
                    }
                }
                case DONE -> in.skipBytes(in.readableBytes());
            }
        }
        return stage != Stage.DONE;
    }

    private void sizeLine(byte b) {
        int digit = Character.digit(b, 16);
        if (digit >= 0) {
            if (++digits > MAX_SIZE_DIGITS) {
                throw new CorruptedFrameException("HTTP chunk size with more than " + MAX_SIZE_DIGITS + " hex digits");
            }
            size = size << 4 | digit;
        } else if (b == ';' || b == ' ' || b == '\t') {
            stage = Stage.EXTENSION;
        } else if (b == '\n') {
            endSizeLine();
        } else if (b != '\r') {
            throw new CorruptedFrameException("bad character " + (b & 0xFF) + " in an HTTP chunk size line");
        }
    }

    private void endSizeLine() {
        if (digits == 0) {
            throw new CorruptedFrameException("HTTP chunk size line without a size");
        }
        left = size;
        stage = size == 0 ? Stage.DONE : Stage.DATA;
        size = 0;
        digits = 0;
    }
}
