package io.meshlive.bench.sim;

import io.meshlive.cluster.brain.Brain;
import io.meshlive.cluster.brain.LinkReport;
import io.meshlive.cluster.brain.QualityMap;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * What the simulated fleet's links are like over time, and what the nodes' probes report of them:
 * each link's true RTT, jitter and loss from the {@link Topology} plus probe noise, and the
 * minute-long degradations that hit every link between two cities at once (a transit problem).
 * Kept apart from {@link Simulation} so the weather of the network is one place to read and to
 * change; it draws from the simulation's one {@link Random}, so a seed still replays a run.
 */
final class LinkConditions {
    private static final double DEGRADED_PER_MINUTE = 0.02;

    private final Topology topo;
    private final Random rnd;
    private final double[] degradeFactor;
    private final double[] degradeLoss;
    private final long[] degradedUntil;

    LinkConditions(Topology topo, Random rnd) {
        this.topo = topo;
        this.rnd = rnd;
        degradeFactor = new double[topo.linkFrom.length];
        Arrays.fill(degradeFactor, 1);
        degradeLoss = new double[topo.linkFrom.length];
        degradedUntil = new long[topo.linkFrom.length];
    }

    /** One probe round of every link between live nodes: the true values with noise, and degradations. */
    void probe(boolean[] alive, QualityMap map, long now) {
        for (int k = 0; k < topo.linkFrom.length; k++) {
            int a = topo.linkFrom[k];
            int b = topo.linkTo[k];
            if (!alive[a] || !alive[b]) {
                continue;
            }
            double rtt = topo.linkRtt[k] * degradeFactor[k] + Math.abs(rnd.nextGaussian()) * topo.linkJitter[k];
            double jitter = topo.linkJitter[k] * (0.5 + rnd.nextDouble());
            double loss = Math.min(1, Math.max(0, topo.linkLoss[k] + degradeLoss[k] + rnd.nextGaussian() * 0.001));
            map.report(new LinkReport(topo.nodeId[a], topo.nodeId[b], rtt, jitter, loss, now));
        }
    }

    /**
     * Every minute the links between a few city pairs (a transit problem hits every node pair
     * between two sites) get 60 % slower and 3 % lossy for a minute; the agents tell the brain.
     */
    void degrade(long now, Brain brain) {
        for (int k = 0; k < degradedUntil.length; k++) {
            if (degradedUntil[k] != 0 && degradedUntil[k] <= now) {
                degradeFactor[k] = 1;
                degradeLoss[k] = 0;
                degradedUntil[k] = 0;
            }
        }
        if (now % 60_000 != 0) {
            return;
        }
        int cities = topo.cities.size();
        int pairs = Math.max(1, (int) (cities * (cities - 1) / 2 * DEGRADED_PER_MINUTE));
        Set<Long> hit = new HashSet<>();
        for (int i = 0; i < pairs; i++) {
            int a = rnd.nextInt(cities);
            int b = rnd.nextInt(cities);
            hit.add((long) Math.min(a, b) * cities + Math.max(a, b));
        }
        for (int k = 0; k < topo.linkFrom.length; k++) {
            int a = topo.nodeCity[topo.linkFrom[k]];
            int b = topo.nodeCity[topo.linkTo[k]];
            if (a != b && hit.contains((long) Math.min(a, b) * cities + Math.max(a, b))) {
                degradeFactor[k] = 1.6;
                degradeLoss[k] = 0.03;
                degradedUntil[k] = now + 60_000;
                brain.linkDegraded(topo.nodeId[topo.linkFrom[k]], topo.nodeId[topo.linkTo[k]]);
            }
        }
    }
}
