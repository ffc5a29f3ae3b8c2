package io.meshlive.bench.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The simulated fleet: nodes in cities (spread by population, at least four per city), their
 * capacities, and the links their quality agents probe, each with its true RTT, jitter and loss.
 * A link's RTT is the great-circle distance ÷ 100 km/ms (light in fibre, both ways) × an inflation
 * factor drawn per city pair (fibre does not follow great circles), plus 1 ms of switching; inside
 * a city it is under a millisecond. Each node probes up to eight peers in its city and one node in
 * every other city (different nodes of a city probe different nodes elsewhere, so there are many
 * paths between two cities). The static tree's cores are four nodes in each region's hub city.
 */
final class Topology {
    static final int CORES_PER_REGION = 4;
    static final long EDGE_CAPACITY_BITS = 2_000_000_000L;
    static final long CORE_CAPACITY_BITS = 10_000_000_000L;

    final List<City> cities;
    final int[] nodeCity;
    final String[] nodeId;
    final long[] capacityBits;
    final boolean[] core;
    final int[][] cityNodes;
    final double[][] cityKm;
    private final double[][] cityRtt;
    /** The probed links, both directions listed. */
    final int[] linkFrom;
    final int[] linkTo;
    final double[] linkRtt;
    final double[] linkJitter;
    final double[] linkLoss;
    private final int nodes;

    private Topology(List<City> cities, int nodes, Random rnd) {
        this.cities = cities;
        this.nodes = nodes;
        int c = cities.size();
        if (nodes < c * 4) {
            throw new IllegalArgumentException("--nodes " + nodes + " is too few for " + c + " cities; allowed " + c * 4 + " or more");
        }
        int[] perCity = new int[c];
        Arrays.fill(perCity, 4);
        double pop = cities.stream().mapToDouble(City::population).sum();
        int left = nodes - 4 * c;
        double[] share = new double[c];
        for (int i = 0; i < c; i++) {
            share[i] = left * cities.get(i).population() / pop;
            perCity[i] += (int) share[i];
        }
        for (int given = Arrays.stream(perCity).sum(); given < nodes; given++) { // largest remainders first
            int best = 0;
            for (int i = 1; i < c; i++) {
                if (share[i] - Math.floor(share[i]) > share[best] - Math.floor(share[best])) {
                    best = i;
                }
            }
            perCity[best]++;
            share[best] = Math.floor(share[best]);
        }
        nodeCity = new int[nodes];
        nodeId = new String[nodes];
        capacityBits = new long[nodes];
        core = new boolean[nodes];
        cityNodes = new int[c][];
        int n = 0;
        for (int i = 0; i < c; i++) {
            cityNodes[i] = new int[perCity[i]];
            for (int k = 0; k < perCity[i]; k++, n++) {
                cityNodes[i][k] = n;
                nodeCity[n] = i;
                nodeId[n] = String.format("n%04d", n);
                core[n] = cities.get(i).hub() && k < CORES_PER_REGION;
                capacityBits[n] = core[n] ? CORE_CAPACITY_BITS : EDGE_CAPACITY_BITS;
            }
        }
        cityKm = new double[c][c];
        double[][] cityRtt = new double[c][c];
        for (int a = 0; a < c; a++) {
            for (int b = a; b < c; b++) {
                double km = cities.get(a).kmTo(cities.get(b));
                double inflation = 1.3 + 0.7 * rnd.nextDouble();
                double rtt = a == b ? 0.5 : km / 100 * inflation + 1;
                cityKm[a][b] = cityKm[b][a] = km;
                cityRtt[a][b] = cityRtt[b][a] = rtt;
            }
        }
        List<int[]> pairs = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (int a = 0; a < c; a++) {
            int[] in = cityNodes[a];
            for (int k = 0; k < in.length; k++) {
                for (int d = 1; d <= 4 && d < in.length; d++) { // a ring of reach 4: eight peers in the city
                    int u = Math.min(in[k], in[(k + d) % in.length]);
                    int v = Math.max(in[k], in[(k + d) % in.length]);
                    if (seen.add((long) u * nodes + v)) {
                        pairs.add(new int[]{u, v});
                    }
                }
            }
            for (int b = a + 1; b < c; b++) {
                int[] big = cityNodes[a].length >= cityNodes[b].length ? cityNodes[a] : cityNodes[b];
                int[] small = big == cityNodes[a] ? cityNodes[b] : cityNodes[a];
                int offset = rnd.nextInt(small.length);
                for (int k = 0; k < big.length; k++) {
                    pairs.add(new int[]{big[k], small[(k + offset) % small.length]});
                }
            }
        }
        int e = pairs.size() * 2;
        linkFrom = new int[e];
        linkTo = new int[e];
        linkRtt = new double[e];
        linkJitter = new double[e];
        linkLoss = new double[e];
        for (int i = 0; i < pairs.size(); i++) {
            int a = pairs.get(i)[0];
            int b = pairs.get(i)[1];
            double rtt = cityRtt[nodeCity[a]][nodeCity[b]] + 0.3 * rnd.nextDouble();
            double jitter = 0.1 + 0.02 * rtt * (0.5 + rnd.nextDouble());
            double r = rnd.nextDouble();
            double loss = r < 0.9 ? 0.001 * rnd.nextDouble() : r < 0.98 ? 0.005 + 0.005 * rnd.nextDouble() : 0.02 + 0.03 * rnd.nextDouble();
            for (int dir = 0; dir < 2; dir++) {
                int k = i * 2 + dir;
                linkFrom[k] = dir == 0 ? a : b;
                linkTo[k] = dir == 0 ? b : a;
                linkRtt[k] = rtt;
                linkJitter[k] = jitter;
                linkLoss[k] = loss;
            }
        }
        this.cityRtt = cityRtt;
    }

    static Topology generate(List<City> cities, int nodes, long seed) {
        return new Topology(cities, nodes, new Random(seed));
    }

    int nodes() {
        return nodes;
    }

    /** The RTT between two nodes' cities (what a relay between them would see without congestion). */
    double rtt(int a, int b) {
        return cityRtt[nodeCity[a]][nodeCity[b]];
    }

    String region(int node) {
        return cities.get(nodeCity[node]).region();
    }

    /** The region's core nodes, in a fixed order. */
    int[] cores(String region) {
        return IntStream.range(0, nodes).filter(n -> core[n] && region(n).equals(region)).toArray();
    }
}
