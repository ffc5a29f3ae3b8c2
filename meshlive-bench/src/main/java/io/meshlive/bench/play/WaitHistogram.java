package io.meshlive.bench.play;

/**
 * Durations in log buckets (eight per power of two, so within 12.5%), microsecond resolution. A
 * player records into its own; {@link #copy} is what its snapshot carries, {@link #add} sums players.
 */
public final class WaitHistogram {
    private static final int LINEAR = 16;
    private static final int SUB_BITS = 3;
    private static final int SUB = 1 << SUB_BITS;
    private static final int MAX_EXPONENT = 40;
    private static final int BUCKETS = LINEAR + (MAX_EXPONENT - 3) * SUB;

    private final int[] counts;
    private long total;

    public WaitHistogram() {
        this(new int[BUCKETS], 0);
    }

    private WaitHistogram(int[] counts, long total) {
        this.counts = counts;
        this.total = total;
    }

    public void record(long nanos) {
        long micros = Math.max(0, nanos / 1000);
        counts[bucket(micros)]++;
        total++;
    }

    public WaitHistogram copy() {
        return new WaitHistogram(counts.clone(), total);
    }

    public void add(WaitHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    public long count() {
        return total;
    }

    /** The {@code percentile} (0..100) in nanoseconds, the middle of its bucket; -1 when empty. */
    public long percentileNanos(double percentile) {
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100 * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return middleMicros(i) * 1000;
            }
        }
        return middleMicros(BUCKETS - 1) * 1000;
    }

    static int bucket(long micros) {
        if (micros < LINEAR) {
            return (int) micros;
        }
        int exponent = Math.min(MAX_EXPONENT - 1, 63 - Long.numberOfLeadingZeros(micros));
        int sub = (int) (micros >>> (exponent - SUB_BITS)) & (SUB - 1);
        return LINEAR + (exponent - 4) * SUB + sub;
    }

    private static long middleMicros(int bucket) {
        if (bucket < LINEAR) {
            return bucket;
        }
        int exponent = (bucket - LINEAR) / SUB + 4;
        int sub = (bucket - LINEAR) % SUB;
        long width = 1L << (exponent - SUB_BITS);
        return (SUB + sub) * width + width / 2;
    }

    @Override
    public String toString() {
        return "WaitHistogram[count=" + total + ", p50=" + percentileNanos(50) / 1000 + " µs]";
    }
}
