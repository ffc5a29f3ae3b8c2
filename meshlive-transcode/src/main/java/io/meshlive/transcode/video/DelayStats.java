package io.meshlive.transcode.video;

import io.meshlive.core.LatencySummary;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Transcode delay per frame: a source frame's arrival at the hub to its rendition frame's
 * publication into the hub. Recorded wait-free on the publishing loop, summed up when read.
 */
final class DelayStats {
    private static final long MAX_MICROS = 60_000_000;

    private final Recorder recorder = new Recorder(MAX_MICROS, 2);
    private final Histogram total = new Histogram(MAX_MICROS, 2);
    private Histogram interval;

    void record(long nanos) {
        recorder.recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1000)));
    }

    /** Percentiles since the rendition started, in microseconds. */
    synchronized LatencySummary summary() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return LatencySummary.of(total);
    }
}
