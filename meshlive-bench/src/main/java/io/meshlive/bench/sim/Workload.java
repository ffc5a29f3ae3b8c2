package io.meshlive.bench.sim;

import java.util.Arrays;
import java.util.Random;

/**
 * The streams: hosts on any node (so, like the nodes, spread by population), a bit rate each, and a
 * Zipf popularity by rank. A viewer picks a stream by popularity and a city: with probability
 * {@code locality} one in the host's region (a live-commerce audience shares the host's market
 * and language), otherwise anywhere, both weighted by population.
 */
final class Workload {
    private static final long[] BIT_RATES = {1_500_000, 2_500_000, 2_500_000, 2_500_000, 4_000_000};

    final int[] origin;
    final long[] bits;
    private final double[] zipfCdf;
    private final double locality;
    private final Topology topo;
    private final double[] worldCdf;
    private final double[][] regionCdf;

    Workload(Topology topo, int streams, double zipfExponent, double locality, Random rnd) {
        this.topo = topo;
        this.locality = locality;
        origin = new int[streams];
        bits = new long[streams];
        zipfCdf = new double[streams];
        double sum = 0;
        for (int i = 0; i < streams; i++) {
            origin[i] = rnd.nextInt(topo.nodes());
            bits[i] = BIT_RATES[rnd.nextInt(BIT_RATES.length)];
            sum += 1 / Math.pow(i + 1, zipfExponent);
            zipfCdf[i] = sum;
        }
        for (int i = 0; i < streams; i++) {
            zipfCdf[i] /= sum;
        }
        int c = topo.cities.size();
        worldCdf = cdf(i -> true);
        regionCdf = new double[c][];
        for (int i = 0; i < c; i++) {
            String region = topo.cities.get(i).region();
            regionCdf[i] = cdf(k -> topo.cities.get(k).region().equals(region));
        }
    }

    int streams() {
        return origin.length;
    }

    int pickStream(Random rnd) {
        return pick(zipfCdf, rnd);
    }

    /** A city for a viewer of stream {@code s}. */
    int pickCity(int s, Random rnd) {
        int hostCity = topo.nodeCity[origin[s]];
        return pick(rnd.nextDouble() < locality ? regionCdf[hostCity] : worldCdf, rnd);
    }

    private double[] cdf(java.util.function.IntPredicate in) {
        double[] cdf = new double[topo.cities.size()];
        double sum = 0;
        for (int i = 0; i < cdf.length; i++) {
            sum += in.test(i) ? topo.cities.get(i).population() : 0;
            cdf[i] = sum;
        }
        for (int i = 0; i < cdf.length; i++) {
            cdf[i] /= sum;
        }
        return cdf;
    }

    private static int pick(double[] cdf, Random rnd) {
        int i = Arrays.binarySearch(cdf, rnd.nextDouble());
        i = i >= 0 ? i : -i - 1;
        return Math.min(i, cdf.length - 1);
    }
}
