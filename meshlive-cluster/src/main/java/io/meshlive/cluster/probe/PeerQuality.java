package io.meshlive.cluster.probe;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * What one node measures of the link to one peer: RTT, jitter (the smoothed change between
 * consecutive RTTs, as RFC 3550 estimates it) and loss, each an EWMA. A probe unanswered for
 * {@code lossAfterNanos} counts as lost; at most {@link #MAX_OUTSTANDING} probes are awaited.
 * Used from the agent's two threads, so every method is synchronized.
 */
final class PeerQuality {
    static final int MAX_OUTSTANDING = 64;
    private static final double ALPHA = 0.125;

    private final Map<Long, Long> outstanding = new HashMap<>();
    private double rttMillis = -1;
    private double jitterMillis;
    private double loss;
    private double lastRttMillis = -1;

    synchronized void sent(long seq, long nanos) {
        if (outstanding.size() < MAX_OUTSTANDING) {
            outstanding.put(seq, nanos);
        }
    }

    /** A pong for {@code seq}; ignored when that probe is not awaited (a duplicate, or too late). */
    synchronized void answered(long seq, long nowNanos) {
        Long sent = outstanding.remove(seq);
        if (sent == null) {
            return;
        }
        double rtt = (nowNanos - sent) / 1e6;
        rttMillis = rttMillis < 0 ? rtt : rttMillis + ALPHA * (rtt - rttMillis);
        if (lastRttMillis >= 0) {
            jitterMillis += (Math.abs(rtt - lastRttMillis) - jitterMillis) / 16;
        }
        lastRttMillis = rtt;
        loss += ALPHA * (0 - loss);
    }

    /**
     * Counts the probes sent before {@code nowNanos - lossAfterNanos} and still unanswered as lost,
     * once the peer has answered at all: before that it may not know this node yet (peers learn
     * each other from the store a moment apart) and drops its probes as a stranger's.
     */
    synchronized void expire(long nowNanos, long lossAfterNanos) {
        for (Iterator<Long> it = outstanding.values().iterator(); it.hasNext(); ) {
            if (nowNanos - it.next() > lossAfterNanos) {
                it.remove();
                if (rttMillis >= 0) {
                    loss += ALPHA * (1 - loss);
                }
            }
        }
    }

    /** True once a probe was answered (only then are there figures to report). */
    synchronized boolean measured() {
        return rttMillis >= 0;
    }

    synchronized double rttMillis() {
        return rttMillis;
    }

    synchronized double jitterMillis() {
        return jitterMillis;
    }

    synchronized double loss() {
        return loss;
    }
}
