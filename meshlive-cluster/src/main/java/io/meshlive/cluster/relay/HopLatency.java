package io.meshlive.cluster.relay;

import io.meshlive.core.LatencySummary;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;

/**
 * What the hop from a relay's parent adds: each frame's arrival at the parent to its arrival
 * here, over the last second or so and since the start. Recorded on the frame path without a
 * lock (an HdrHistogram {@link Recorder}); the API reads it from any thread.
 */
final class HopLatency {
    private static final long MAX_HOP_MICROS = TimeUnit.MINUTES.toMicros(1);

    private final Recorder hop = new Recorder(MAX_HOP_MICROS, 2);
    // Guarded by this.
    private Histogram recent = new Histogram(MAX_HOP_MICROS, 2);
    private final Histogram total = new Histogram(MAX_HOP_MICROS, 2);
    private long lastRollNanos = System.nanoTime();

    /** One frame's hop; on the frame path. Longer than a minute counts as a minute. */
    void record(long micros) {
        hop.recordValue(Math.min(MAX_HOP_MICROS, micros));
    }

    /** Over the last second or so. */
    synchronized LatencySummary recent() {
        roll();
        return LatencySummary.of(recent);
    }

    /** Since this relay started. */
    synchronized LatencySummary total() {
        roll();
        return LatencySummary.of(total);
    }

    /** Closes the interval when a second has passed since the last close: any number of readers. */
    private void roll() {
        long now = System.nanoTime();
        if (now - lastRollNanos >= TimeUnit.SECONDS.toNanos(1)) {
            lastRollNanos = now;
            recent = hop.getIntervalHistogram();
            total.add(recent);
        }
    }
}
