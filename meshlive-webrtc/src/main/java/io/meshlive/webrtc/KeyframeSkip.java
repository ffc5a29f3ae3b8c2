package io.meshlive.webrtc;

/**
 * A WHEP viewer's budget on a path that pushes back (ICE-TCP; UDP never does): while the
 * connection is over its write limit, frames are skipped, and sending resumes at the first
 * keyframe that finds it writable again, so the viewer never queues more than the limit, and
 * never shows a picture broken by a gap. A viewer that keeps skipping past the hub's stall
 * timeout has stalled. Loop-confined.
 */
final class KeyframeSkip {
    private final long stallNanos;
    private boolean skipping;
    private long sinceNanos;

    KeyframeSkip(long stallNanos) {
        this.stallNanos = stallNanos;
    }

    /**
     * Whether to skip the next frame.
     *
     * @param writable     whether the path takes more now
     * @param resumePoint  whether the frame may start a viewer afresh (a video keyframe; any frame of an audio-only viewer)
     */
    boolean skip(boolean writable, boolean resumePoint, long nowNanos) {
        if (!skipping) {
            if (writable) {
                return false;
            }
            skipping = true;
            sinceNanos = nowNanos;
            return true;
        }
        if (writable && resumePoint) {
            skipping = false;
            return false;
        }
        return true;
    }

    /** Skipping for longer than the stall timeout. */
    boolean stalled(long nowNanos) {
        return skipping && nowNanos - sinceNanos > stallNanos;
    }
}
