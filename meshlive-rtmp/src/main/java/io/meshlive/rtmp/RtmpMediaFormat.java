package io.meshlive.rtmp;

import io.meshlive.media.Frame;
import io.meshlive.media.FrameFormat;
import io.meshlive.media.TrackType;
import io.meshlive.media.flv.FlvTagBody;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * A frame as the complete chunk sequence of one RTMP media message on message stream 1, encoded
 * once per stream and written as-is to every RTMP viewer. Every viewer must therefore use the
 * same chunk size ({@link #CHUNK_SIZE}, announced at connect) and the same message stream id.
 */
public final class RtmpMediaFormat extends FrameFormat {
    public static final RtmpMediaFormat INSTANCE = new RtmpMediaFormat();
    /** Our outgoing chunk size: large, so a video frame is one or two chunks. */
    public static final int CHUNK_SIZE = 60000;
    public static final int MEDIA_STREAM_ID = 1;
    static final int AUDIO_CSID = 4;
    static final int DATA_CSID = 5;
    static final int VIDEO_CSID = 6;

    private RtmpMediaFormat() {
        super("rtmp");
    }

    @Override
    protected ByteBuf encode(Frame frame, ByteBufAllocator alloc) {
        TrackType track = frame.track();
        int csid = track == TrackType.VIDEO ? VIDEO_CSID : track == TrackType.AUDIO ? AUDIO_CSID : DATA_CSID;
        int type = track == TrackType.VIDEO ? RtmpMessage.VIDEO : track == TrackType.AUDIO ? RtmpMessage.AUDIO : RtmpMessage.DATA_AMF0;
        long timestamp = frame.dts() / 1000;
        int headerLength = FlvTagBody.headerLength(frame);
        CompositeByteBuf body = alloc.compositeDirectBuffer(2);
        try {
            if (headerLength > 0) {
                ByteBuf header = alloc.directBuffer(headerLength);
                FlvTagBody.writeHeader(frame, header);
                body.addComponent(true, header);
            }
            body.addComponent(true, FlvTagBody.retainedBody(frame, alloc));
            ByteBuf out = alloc.directBuffer(RtmpChunkWriter.encodedLength(csid, timestamp, body.readableBytes(), CHUNK_SIZE));
            RtmpChunkWriter.write(out, csid, type, MEDIA_STREAM_ID, timestamp, body, CHUNK_SIZE);
            return out;
        } finally {
            body.release();
        }
    }
}
