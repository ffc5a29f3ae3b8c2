package io.meshlive.core.cue;

import java.util.concurrent.atomic.AtomicLong;

/**
 * At most N cues per second per stream, from the API and the publisher alike, so a flood of cues
 * costs the viewers nothing: one compare-and-set per cue, no lock, the video never waits. The
 * state is the current one-second window and the count in it, packed in one long.
 */
final class CueRateLimit {
    private static final int COUNT_BITS = 24;
    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;

    private final AtomicLong windowAndCount = new AtomicLong();
    private final int perSecond;

    CueRateLimit(int perSecond) {
        this.perSecond = perSecond;
    }

    int perSecond() {
        return perSecond;
    }

    boolean tryAcquire(long nowNanos) {
        long window = nowNanos / 1_000_000_000L;
        while (true) {
            long state = windowAndCount.get();
            long count = (state >>> COUNT_BITS) == (window & (-1L >>> COUNT_BITS)) ? state & COUNT_MASK : 0;
            if (count >= perSecond) {
                return false;
            }
            long next = (window << COUNT_BITS) | (count + 1);
            if (windowAndCount.compareAndSet(state, next)) {
                return true;
            }
        }
    }
}
