package io.meshlive.cluster.relay;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.WallClock;
import io.netty.buffer.ByteBuf;

/**
 * Reads the body of a FRAME message (see {@link RelayFrameFormat}) into a {@link Frame} whose
 * payload is a retained slice of the message, no copy. Bad bytes are a {@link RelayProtocolException}.
 */
final class RelayFrameReader {
    private static final Codec[] CODECS = Codec.values();

    private RelayFrameReader() {
    }

    /**
     * The frame in {@code body} (from its reader index to its end), arrived at {@code arrivalNanos};
     * its times moved by {@code dtsOffset}; the caller owns the result. {@code body} is not released.
     */
    static Frame read(ByteBuf body, long arrivalNanos, long dtsOffset) {
        if (body.readableBytes() < RelayFrameFormat.FIXED) {
            throw new RelayProtocolException("frame of " + body.readableBytes() + " bytes, shorter than its "
                    + RelayFrameFormat.FIXED + "-byte header");
        }
        int at = body.readerIndex();
        long epoch = body.getLong(at);
        long sequence = body.getLong(at + 8);
        long origin = body.getLong(at + 16);
        long dts = body.getLong(at + 32) + dtsOffset;
        long pts = body.getLong(at + 40) + dtsOffset;
        int codec = body.getUnsignedByte(at + 48);
        int flags = body.getUnsignedByte(at + 49);
        if (sequence < 0 || epoch < 0) {
            throw new RelayProtocolException("negative frame epoch " + epoch + " or sequence " + sequence);
        }
        if (codec >= CODECS.length) {
            throw new RelayProtocolException("unknown codec " + codec);
        }
        if ((flags & ~(RelayFrameFormat.KEYFRAME | RelayFrameFormat.CONFIG)) != 0) {
            throw new RelayProtocolException("unknown frame flags " + flags);
        }
        ByteBuf payload = body.retainedSlice(at + RelayFrameFormat.FIXED, body.readableBytes() - RelayFrameFormat.FIXED);
        return Frame.relayed(CODECS[codec], dts, pts, (flags & RelayFrameFormat.KEYFRAME) != 0,
                (flags & RelayFrameFormat.CONFIG) != 0, payload, arrivalNanos, origin, epoch, sequence);
    }

    /** The frame's sequence; the caller checked the length. */
    static long sequence(ByteBuf body) {
        return body.getLong(body.readerIndex() + 8);
    }

    /** The frame's origin epoch; the caller checked the length. */
    static long epoch(ByteBuf body) {
        return body.getLong(body.readerIndex());
    }

    /** The frame's arrival at the sender, wall µs. */
    static long sentMicros(ByteBuf body) {
        return body.getLong(body.readerIndex() + 24);
    }

    static long dts(ByteBuf body) {
        return body.getLong(body.readerIndex() + 32);
    }

    static boolean isConfig(ByteBuf body) {
        return (body.getUnsignedByte(body.readerIndex() + 49) & RelayFrameFormat.CONFIG) != 0;
    }

    /** The frame's track ordinal; an unknown codec is a protocol error. */
    static int track(ByteBuf body) {
        int codec = body.getUnsignedByte(body.readerIndex() + 48);
        if (codec >= CODECS.length) {
            throw new RelayProtocolException("unknown codec " + codec);
        }
        return CODECS[codec].track().ordinal();
    }

    /** What the hop from the sender to here took, in µs: now minus the frame's arrival at the sender (0 when clocks disagree). */
    static long hopMicros(ByteBuf body, long arrivalNanos) {
        return Math.max(0, WallClock.microsAt(arrivalNanos) - sentMicros(body));
    }
}
