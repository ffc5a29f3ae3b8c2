package io.meshlive.bench.sim;

import java.util.Arrays;

/** Values with weights (a figure per node, counted once per viewer there): mean and percentiles. */
final class Distribution {
    private double[] values = new double[256];
    private long[] weights = new long[256];
    private int size;
    private boolean sorted;

    void add(double value, long weight) {
        if (weight <= 0) {
            return;
        }
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
            weights = Arrays.copyOf(weights, size * 2);
        }
        values[size] = value;
        weights[size] = weight;
        size++;
        sorted = false;
    }

    long count() {
        long n = 0;
        for (int i = 0; i < size; i++) {
            n += weights[i];
        }
        return n;
    }

    double mean() {
        double sum = 0;
        long n = 0;
        for (int i = 0; i < size; i++) {
            sum += values[i] * weights[i];
            n += weights[i];
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** The value at or below which {@code q} of the weight lies. */
    double percentile(double q) {
        sort();
        long total = count();
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < size; i++) {
            seen += weights[i];
            if (seen >= rank) {
                return values[i];
            }
        }
        return values[size - 1];
    }

    long countAbove(double limit) {
        long n = 0;
        for (int i = 0; i < size; i++) {
            if (values[i] > limit) {
                n += weights[i];
            }
        }
        return n;
    }

    private void sort() {
        if (sorted) {
            return;
        }
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] v = new double[values.length];
        long[] w = new long[weights.length];
        for (int i = 0; i < size; i++) {
            v[i] = values[order[i]];
            w[i] = weights[order[i]];
        }
        values = v;
        weights = w;
        sorted = true;
    }
}
