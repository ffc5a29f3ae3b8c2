package io.meshlive.flv;

import io.meshlive.media.Frame;
import io.meshlive.media.FrameFormat;
import io.meshlive.media.TrackType;
import io.meshlive.media.flv.FlvTagBody;
import io.meshlive.media.flv.FlvWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * A frame as one FLV tag inside its transport's framing, encoded once per stream: an HTTP/1.1
 * chunk for HTTP-FLV, an unmasked binary WebSocket message for WebSocket-FLV, or the bare tag for
 * HTTP-FLV on an HTTP/2 stream, where each one becomes a DATA frame's content as it is. Viewers
 * write the bytes as they are, so no HTTP or WebSocket encoder touches the media path.
 */
public final class FlvEgressFormat extends FrameFormat {
    public static final FlvEgressFormat HTTP_CHUNKED = new FlvEgressFormat("http-flv", Framing.HTTP_CHUNK);
    public static final FlvEgressFormat WEBSOCKET = new FlvEgressFormat("ws-flv", Framing.WEBSOCKET);
    public static final FlvEgressFormat HTTP2 = new FlvEgressFormat("http2-flv", Framing.NONE);

    private enum Framing { HTTP_CHUNK, WEBSOCKET, NONE }

    private static final int TAG_HEADER = 11;
    private static final int PREVIOUS_TAG_SIZE = 4;
    private static final byte[] CRLF = {'\r', '\n'};

    private final Framing framing;

    private FlvEgressFormat(String name, Framing framing) {
        super(name);
        this.framing = framing;
    }

    @Override
    protected ByteBuf encode(Frame frame, ByteBufAllocator alloc) {
        ByteBuf body = FlvTagBody.retainedBody(frame, alloc);
        try {
            int dataSize = FlvTagBody.headerLength(frame) + body.readableBytes();
            int tagSize = TAG_HEADER + dataSize + PREVIOUS_TAG_SIZE;
            ByteBuf out = alloc.directBuffer(framedLength(tagSize));
            writePrefix(out, tagSize);
            FlvWriter.writeTagHeader(out, tagType(frame.track()), dataSize, frame.dts() / 1000);
            FlvTagBody.writeHeader(frame, out);
            out.writeBytes(body, body.readerIndex(), body.readableBytes());
            FlvWriter.writeTagTrailer(out, dataSize);
            writeSuffix(out);
            return out;
        } finally {
            body.release();
        }
    }

    /** The FLV file header (with PreviousTagSize0), framed for this transport; sent once per viewer. */
    public ByteBuf fileHeader(ByteBufAllocator alloc) {
        int size = 13;
        ByteBuf out = alloc.buffer(framedLength(size));
        writePrefix(out, size);
        FlvWriter.writeFileHeader(out, true, true);
        writeSuffix(out);
        return out;
    }

    private static int tagType(TrackType track) {
        return switch (track) {
            case AUDIO -> 8;
            case VIDEO -> 9;
            case DATA -> 18;
        };
    }

    private int framedLength(int size) {
        return switch (framing) {
            case HTTP_CHUNK -> Integer.toHexString(size).length() + 2 + size + 2;
            case WEBSOCKET -> (size < 126 ? 2 : size < 65536 ? 4 : 10) + size;
            case NONE -> size;
        };
    }

    private void writePrefix(ByteBuf out, int size) {
        if (framing == Framing.NONE) {
            return;
        }
        if (framing == Framing.HTTP_CHUNK) {
            out.writeCharSequence(Integer.toHexString(size), StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
            return;
        }
        out.writeByte(0x82); // FIN + binary
        if (size < 126) {
            out.writeByte(size);
        } else if (size < 65536) {
            out.writeByte(126);
            out.writeShort(size);
        } else {
            out.writeByte(127);
            out.writeLong(size);
        }
    }

    private void writeSuffix(ByteBuf out) {
        if (framing == Framing.HTTP_CHUNK) {
            out.writeBytes(CRLF);
        }
    }
}
