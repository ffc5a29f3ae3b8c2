package io.meshlive.rtmp;

import io.meshlive.media.Frame;
import io.meshlive.media.MediaFormatException;
import io.meshlive.media.flv.FlvTagBody;
import io.netty.buffer.ByteBuf;

/**
 * Turns the media messages of one RTMP message stream (audio, video, script data, aggregates)
 * into frames on a 64-bit microsecond timeline, whoever sends them: a publishing encoder on the
 * server side, or the server a pull client plays from. One per connection; not thread-safe.
 */
public final class RtmpMediaReader {
    /** Where the frames go; a frame is the sink's to release. */
    public interface Sink {
        void frame(Frame frame);
    }

    private final TimestampUnwrapper videoTime = new TimestampUnwrapper();
    private final TimestampUnwrapper audioTime = new TimestampUnwrapper();
    private final TimestampUnwrapper dataTime = new TimestampUnwrapper();

    /**
     * Decodes one media message (see {@link RtmpMessage#isMedia}) into zero or more frames; a body that is not
     * what its type says throws {@link RtmpProtocolException}. The message stays the caller's.
     */
    public void read(RtmpMessage m, long nowNanos, Sink sink) {
        if (m.typeId() == RtmpMessage.AGGREGATE) {
            aggregate(m, nowNanos, sink);
        } else {
            one(m.typeId(), m.timestamp(), m.content(), nowNanos, sink);
        }
    }

    private void one(int type, long timestamp, ByteBuf body, long now, Sink sink) {
        Frame frame;
        try {
            frame = switch (type) {
                case RtmpMessage.VIDEO -> FlvTagBody.decodeVideo(body, videoTime.toMicros(timestamp), now);
                case RtmpMessage.AUDIO -> FlvTagBody.decodeAudio(body, audioTime.toMicros(timestamp), now);
                case RtmpMessage.DATA_AMF3 -> FlvTagBody.decodeScript(body.skipBytes(body.isReadable() ? 1 : 0),
                        dataTime.toMicros(timestamp), now);
                default -> FlvTagBody.decodeScript(body, dataTime.toMicros(timestamp), now);
            };
        } catch (MediaFormatException e) {
            throw new RtmpProtocolException(e.getMessage());
        }
        if (frame != null) {
            sink.frame(frame);
        }
    }

    /** Aggregate message: FLV tags back to back, timestamps relative to the first one. */
    private void aggregate(RtmpMessage m, long now, Sink sink) {
        ByteBuf in = m.content();
        long base = -1;
        while (in.readableBytes() >= 11) {
            int type = in.readUnsignedByte();
            int size = in.readUnsignedMedium();
            long ts = in.readUnsignedMedium() | (long) in.readUnsignedByte() << 24;
            in.skipBytes(3);
            if (in.readableBytes() < size + 4) {
                throw new RtmpProtocolException("aggregate message: sub-message of " + size + " bytes runs past the end");
            }
            if (base < 0) {
                base = ts;
            }
            ByteBuf body = in.readSlice(size);
            in.skipBytes(4);
            if (type == RtmpMessage.VIDEO || type == RtmpMessage.AUDIO || type == RtmpMessage.DATA_AMF0) {
                one(type, (m.timestamp() + ts - base) & 0xFFFFFFFFL, body, now, sink);
            }
        }
    }
}
