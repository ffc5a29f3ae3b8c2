package io.meshlive.webrtc;

/**
 * Which rung of a ladder a viewer should play, from the bandwidth its browser estimates (REMB):
 * the highest whose bit rate fits under {@link #HEADROOM} of the estimate, or the lowest when none
 * fits. A move down waits until the estimate has stayed low for {@link #DOWN_AFTER_NANOS}, so one
 * pessimistic report does not cost a keyframe's worth of picture; a move up waits longer, {@link
 * #UP_AFTER_NANOS}, as a wrong move up costs loss and a move back. Pure logic: the caller feeds
 * estimates and the ladder and asks, and performs the switch.
 */
final class RenditionPolicy {
    /** Room for audio, RTP and SRTP overhead, retransmissions and the estimate's own error. */
    static final double HEADROOM = 0.8;
    static final long DOWN_AFTER_NANOS = 1_500_000_000L;
    static final long UP_AFTER_NANOS = 5_000_000_000L;
    private static final long NEVER = Long.MIN_VALUE;

    private long estimateBps = -1;
    private long lowerSince = NEVER;
    private long higherSince = NEVER;

    /** The browser's latest estimate, in bits per second. */
    void estimate(long bitsPerSecond) {
        estimateBps = bitsPerSecond;
    }

    /** The latest estimate, or -1 before the first. */
    long estimateBps() {
        return estimateBps;
    }

    /**
     * The rung to play now: {@code current}, or another once the estimate has pointed there long
     * enough. {@code bitrates} are in bits per second, ascending; indexes are into it.
     */
    int choose(long[] bitrates, int current, long nowNanos) {
        if (estimateBps < 0 || bitrates.length < 2) {
            return current;
        }
        int fits = fitting(bitrates);
        if (fits < current) {
            higherSince = NEVER;
            if (lowerSince == NEVER) {
                lowerSince = nowNanos;
            }
            return nowNanos - lowerSince >= DOWN_AFTER_NANOS ? moved(fits) : current;
        }
        lowerSince = NEVER;
        if (fits > current) {
            if (higherSince == NEVER) {
                higherSince = nowNanos;
            }
            return nowNanos - higherSince >= UP_AFTER_NANOS ? moved(fits) : current;
        }
        higherSince = NEVER;
        return current;
    }

    private int fitting(long[] bitrates) {
        double budget = estimateBps * HEADROOM;
        for (int i = bitrates.length - 1; i > 0; i--) {
            if (bitrates[i] <= budget) {
                return i;
            }
        }
        return 0;
    }

    private int moved(int to) {
        lowerSince = NEVER;
        higherSince = NEVER;
        return to;
    }
}
