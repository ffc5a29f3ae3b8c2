package io.meshlive.bench.play;

/** Nearest-rank percentiles of sorted arrays. */
final class Percentile {
    private Percentile() {
    }

    static double of(double[] sorted, double percent) {
        return sorted.length == 0 ? Double.NaN : sorted[rank(sorted.length, percent)];
    }

    static long of(long[] sorted, double percent) {
        return sorted.length == 0 ? -1 : sorted[rank(sorted.length, percent)];
    }

    private static int rank(int n, double percent) {
        return Math.max(0, Math.min(n - 1, (int) Math.ceil(percent / 100 * n) - 1));
    }
}
