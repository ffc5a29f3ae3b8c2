package io.meshlive.rtmp;

import io.meshlive.rtmp.amf.Amf0Writer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the small control and command messages of a session, already chunked. */
public final class RtmpWire {
    static final int CONTROL_CSID = 2;
    static final int COMMAND_CSID = 3;

    public static final int EVENT_STREAM_BEGIN = 0;
    public static final int EVENT_STREAM_EOF = 1;
    public static final int EVENT_SET_BUFFER_LENGTH = 3;
    public static final int EVENT_PING_REQUEST = 6;
    public static final int EVENT_PING_RESPONSE = 7;

    private RtmpWire() {
    }

    /** A protocol control message carrying one 32-bit value (chunk size, ack, window). */
    public static ByteBuf control(ByteBufAllocator alloc, int type, int value) {
        ByteBuf body = alloc.heapBuffer(4).writeInt(value);
        return chunk(alloc, CONTROL_CSID, type, 0, 0, body, RtmpMediaFormat.CHUNK_SIZE);
    }

    public static ByteBuf peerBandwidth(ByteBufAllocator alloc, int window, int limitType) {
        ByteBuf body = alloc.heapBuffer(5).writeInt(window).writeByte(limitType);
        return chunk(alloc, CONTROL_CSID, RtmpMessage.SET_PEER_BANDWIDTH, 0, 0, body, RtmpMediaFormat.CHUNK_SIZE);
    }

    public static ByteBuf userControl(ByteBufAllocator alloc, int event, int value) {
        ByteBuf body = alloc.heapBuffer(6).writeShort(event).writeInt(value);
        return chunk(alloc, CONTROL_CSID, RtmpMessage.USER_CONTROL, 0, 0, body, RtmpMediaFormat.CHUNK_SIZE);
    }

    /** An AMF0 command on the command chunk stream, chunked at {@code chunkSize}. */
    public static ByteBuf command(ByteBufAllocator alloc, int streamId, int chunkSize, Object... values) {
        return chunk(alloc, COMMAND_CSID, RtmpMessage.COMMAND_AMF0, streamId, 0, amf(alloc, values), chunkSize);
    }

    /** An AMF0 data message (e.g. |RtmpSampleAccess, @setDataFrame). */
    public static ByteBuf data(ByteBufAllocator alloc, int streamId, int chunkSize, Object... values) {
        return chunk(alloc, RtmpMediaFormat.DATA_CSID, RtmpMessage.DATA_AMF0, streamId, 0, amf(alloc, values), chunkSize);
    }

    /** The AMF0 encoding of {@code values}; nothing is left allocated if a value cannot be written. */
    private static ByteBuf amf(ByteBufAllocator alloc, Object... values) {
        ByteBuf body = alloc.heapBuffer(256);
        try {
            Amf0Writer.writeAll(body, values);
            return body;
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
    }

    /** The info object of an onStatus or _result: level, code, description. */
    public static Map<String, Object> status(String level, String code, String description) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", level);
        info.put("code", code);
        info.put("description", description);
        return info;
    }

    /** Chunks {@code body} and releases it. */
    public static ByteBuf chunk(ByteBufAllocator alloc, int csid, int type, int streamId, long timestamp,
                                ByteBuf body, int chunkSize) {
        try {
            ByteBuf out = alloc.buffer(RtmpChunkWriter.encodedLength(csid, timestamp, body.readableBytes(), chunkSize));
            RtmpChunkWriter.write(out, csid, type, streamId, timestamp, body, chunkSize);
            return out;
        } finally {
            body.release();
        }
    }
}
