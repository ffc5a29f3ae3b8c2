package io.meshlive.cluster.relay;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * The relayed stream's timeline at this node: which frames were passed on (the origin's epoch and
 * each frame's sequence number), so a re-route that replays the new parent's buffer passes on
 * nothing twice and a new subscription resumes from the frame after the last one; and, when the
 * origin's next publish (a new epoch) takes over, the timestamp shift that continues the old
 * timeline, so the viewers here see one stream.
 *
 * <p>Confined to one loop at a time: the current link's (see {@link RelaySource}).
 */
final class RelayTimeline {
    /** A new epoch continues this long after the last frame of the previous one. */
    private static final long SPLICE_GAP_MICROS = 40_000;

    private long epoch = -1;
    private long lastSequence = -1;
    private final long[] lastConfigSequence = {-1, -1, -1};
    private boolean splice;
    private long dtsOffset;
    private long lastDts;

    /** The epoch of the last frame passed on (-1: none yet). */
    long epoch() {
        return epoch;
    }

    /** Where a new subscription starts: the frame after the last one passed on, or the keyframe (-1). */
    long resumeFrom() {
        return lastSequence < 0 ? -1 : lastSequence + 1;
    }

    /**
     * Whether the frame in {@code body} (a FRAME body, with its epoch, sequence and config flag
     * read already) is new here. A frame of an older epoch is not (a parent that lags); the first
     * frame of a newer epoch is, and starts that epoch (a splice, unless it is the first). The
     * track is read only when it matters (a frame of this epoch).
     */
    boolean isNew(long frameEpoch, long sequence, boolean config, ByteBuf body) {
        if (frameEpoch < epoch) {
            return false;
        }
        if (frameEpoch == epoch) {
            int track = RelayFrameReader.track(body);
            return config ? sequence > lastConfigSequence[track] : sequence > lastSequence;
        }
        splice = epoch >= 0;
        epoch = frameEpoch;
        lastSequence = -1;
        Arrays.fill(lastConfigSequence, -1);
        return true;
    }

    /**
     * When a new epoch has just started after an old one, moves its timestamps to continue after
     * the old one's last frame; returns whether it did (once per epoch).
     */
    boolean spliceAt(long dts) {
        if (!splice) {
            return false;
        }
        dtsOffset = lastDts + SPLICE_GAP_MICROS - dts;
        splice = false;
        return true;
    }

    /** Added to every frame's timestamps: non-zero after a splice. */
    long dtsOffset() {
        return dtsOffset;
    }

    /** Records a frame as passed on, with its timestamp after the shift. */
    void passedOn(long sequence, boolean config, int track, long dts) {
        if (config) {
            lastConfigSequence[track] = sequence;
        } else {
            lastSequence = sequence;
        }
        lastDts = Math.max(lastDts, dts);
    }
}
