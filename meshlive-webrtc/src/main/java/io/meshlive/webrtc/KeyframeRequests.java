package io.meshlive.webrtc;

import io.meshlive.core.Session;
import io.meshlive.core.Stream;

/**
 * A WHEP viewer's browser lost its picture (PLI or FIR). A source that can make a keyframe is
 * asked for one, at most twice a second per viewer; an RTMP encoder cannot be asked, and the next
 * keyframe comes on its own schedule. Loop-confined.
 */
final class KeyframeRequests {
    private static final long INTERVAL_NANOS = 500_000_000L;

    private long lastNanos = System.nanoTime() - INTERVAL_NANOS;
    private long count;

    /** The browser asked; {@code playing} is the stream its video comes from now (null before it is subscribed). */
    void requested(Stream playing, long nowNanos) {
        if (nowNanos - lastNanos < INTERVAL_NANOS) {
            return;
        }
        lastNanos = nowNanos;
        count++;
        Session publisher = playing == null ? null : playing.publisher();
        if (publisher != null) {
            publisher.requestKeyframe();
        }
    }

    /** Requests passed on (or dropped for want of a publisher), not counting those inside the interval. */
    long count() {
        return count;
    }
}
