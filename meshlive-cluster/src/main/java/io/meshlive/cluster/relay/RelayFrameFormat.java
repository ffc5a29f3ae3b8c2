package io.meshlive.cluster.relay;

import io.meshlive.media.Frame;
import io.meshlive.media.FrameFormat;
import io.meshlive.media.WallClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A frame's relay body, encoded once per frame on this node and shared by every downstream node
 * (each gets only its 9-byte FRAME prefix in front of it):
 * <pre>
 * i64 origin epoch | i64 sequence | i64 origin time, wall µs | i64 sent: the frame's
 * arrival at this node, wall µs | i64 dts µs | i64 pts µs | u8 codec | u8 flags (1 keyframe, 2 config) | payload
 * </pre>
 * The arrival time lets the next node measure what its hop added (its arrival minus ours).
 */
public final class RelayFrameFormat extends FrameFormat {
    public static final RelayFrameFormat INSTANCE = new RelayFrameFormat();
    /** Bytes before the payload. */
    public static final int FIXED = 8 * 6 + 2;
    static final int KEYFRAME = 1;
    static final int CONFIG = 2;

    private RelayFrameFormat() {
        super("relay");
    }

    @Override
    protected ByteBuf encode(Frame frame, ByteBufAllocator alloc) {
        ByteBuf b = alloc.buffer(FIXED);
        b.writeLong(frame.epoch())
                .writeLong(frame.sequence())
                .writeLong(frame.originMicros())
                .writeLong(WallClock.microsAt(frame.arrivalNanos()))
                .writeLong(frame.dts())
                .writeLong(frame.pts())
                .writeByte(frame.codec().ordinal())
                .writeByte((frame.isKeyframe() ? KEYFRAME : 0) | (frame.isConfig() ? CONFIG : 0));
        // The payload is shared, not copied: the frame keeps it alive as long as this form.
        return alloc.compositeBuffer(2).addComponents(true, b, frame.payload().retainedDuplicate());
    }
}
