package io.meshlive.bench.wire;

import io.meshlive.media.MediaFormatException;
import io.netty.buffer.ByteBuf;

/**
 * Walks an FLV byte stream (file header, then tags) without copying it: each tag header is read,
 * its body skipped where it lies, and the listener told about the tag once its body has passed.
 * A read may end anywhere.
 */
public final class FlvTagScanner {
    private static final int FILE_HEADER = 9;
    private static final int TAG_HEADER = 11;
    private static final int PREVIOUS_TAG_SIZE = 4;

    /** A tag, told once all its bytes have been read. */
    public interface Listener {
        /** {@code first} and {@code second} are the body's first bytes, or -1. */
        void onTag(int type, long timestamp, int dataSize, int first, int second);
    }

    private enum Stage { FILE_HEADER, SKIP, TAG_HEADER, BODY }

    private final Listener listener;
    private final SplitHeader header = new SplitHeader(TAG_HEADER);
    private final BodyHead head = new BodyHead();
    private Stage stage = Stage.FILE_HEADER;
    private long skip;
    private int type;
    private int dataSize;
    private int offset;
    private long timestamp;

    public FlvTagScanner(Listener listener) {
        this.listener = listener;
    }

    /** Consumes every readable byte of {@code in}. */
    public void scan(ByteBuf in) {
        while (in.isReadable()) {
            switch (stage) {
                case FILE_HEADER -> {
                    if (!header.fill(in, FILE_HEADER)) {
                        return;
                    }
                    long dataOffset = header.u32(5);
                    if (header.u24(0) != ('F' << 16 | 'L' << 8 | 'V') || dataOffset < FILE_HEADER) {
                        throw new MediaFormatException("not an FLV stream");
                    }
                    header.clear();
                    skipThen(dataOffset - FILE_HEADER + PREVIOUS_TAG_SIZE);
                }
                case SKIP -> {
                    int n = (int) Math.min(skip, in.readableBytes());
                    in.skipBytes(n);
                    skip -= n;
                    if (skip == 0) {
                        stage = Stage.TAG_HEADER;
                    }
                }
                case TAG_HEADER -> {
                    if (!header.fill(in, TAG_HEADER)) {
                        return;
                    }
                    type = header.u8(0) & 0x1F;
                    dataSize = header.u24(1);
                    timestamp = (long) header.u8(7) << 24 | header.u24(4);
                    header.clear();
                    head.reset();
                    offset = 0;
                    stage = Stage.BODY;
                    if (dataSize == 0) {
                        endTag();
                    }
                }
                case BODY -> {
                    int n = Math.min(dataSize - offset, in.readableBytes());
                    head.take(in, offset, n);
                    in.skipBytes(n);
                    offset += n;
                    if (offset == dataSize) {
                        endTag();
                    }
                }
            }
        }
    }

    private void endTag() {
        skipThen(PREVIOUS_TAG_SIZE);
        listener.onTag(type, timestamp, dataSize, head.first(), head.second());
    }

    private void skipThen(long bytes) {
        skip = bytes;
        stage = Stage.SKIP;
    }
}
