package io.meshlive.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One reassembled RTMP message. The timestamp is the 32-bit RTMP value (milliseconds, wrapping).
 * Owns its payload: release the message when done.
 */
public final class RtmpMessage extends DefaultByteBufHolder {
    public static final int SET_CHUNK_SIZE = 1;
    public static final int ABORT = 2;
    public static final int ACKNOWLEDGEMENT = 3;
    public static final int USER_CONTROL = 4;
    public static final int WINDOW_ACK_SIZE = 5;
    public static final int SET_PEER_BANDWIDTH = 6;
    public static final int AUDIO = 8;
    public static final int VIDEO = 9;
    public static final int DATA_AMF3 = 15;
    public static final int SHARED_OBJECT_AMF3 = 16;
    public static final int COMMAND_AMF3 = 17;
    public static final int DATA_AMF0 = 18;
    public static final int SHARED_OBJECT_AMF0 = 19;
    public static final int COMMAND_AMF0 = 20;
    public static final int AGGREGATE = 22;

    /** Audio, video, script data and aggregates: what a publisher's media travels in, and the only messages that may be long. */
    public static boolean isMedia(int typeId) {
        return typeId == AUDIO || typeId == VIDEO || typeId == DATA_AMF0 || typeId == DATA_AMF3 || typeId == AGGREGATE;
    }

    private final int chunkStreamId;
    private final int typeId;
    private final int streamId;
    private final long timestamp;

    public RtmpMessage(int chunkStreamId, int typeId, int streamId, long timestamp, ByteBuf payload) {
        super(payload);
        this.chunkStreamId = chunkStreamId;
        this.typeId = typeId;
        this.streamId = streamId;
        this.timestamp = timestamp & 0xFFFFFFFFL;
    }

    public int chunkStreamId() {
        return chunkStreamId;
    }

    public int typeId() {
        return typeId;
    }

    public int streamId() {
        return streamId;
    }

    public long timestamp() {
        return timestamp;
    }

    @Override
    public String toString() {
        return "RtmpMessage(type=" + typeId + ", csid=" + chunkStreamId + ", msid=" + streamId
                + ", ts=" + timestamp + ", len=" + content().readableBytes() + ")";
    }
}
