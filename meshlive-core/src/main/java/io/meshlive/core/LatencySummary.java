package io.meshlive.core;

import org.HdrHistogram.Histogram;

/** Percentiles of a latency histogram, in microseconds. */
public record LatencySummary(long count, long p50, long p90, long p99, long max) {
    public static LatencySummary of(Histogram h) {
        return new LatencySummary(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                h.getValueAtPercentile(99), h.getMaxValue());
    }
}
