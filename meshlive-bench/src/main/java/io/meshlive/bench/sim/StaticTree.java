package io.meshlive.bench.sim;

import java.util.HashMap;
import java.util.Map;

/**
 * The static three-tier tree the brain is measured against: a viewer's node pulls from a core of
 * its region (the four cores of the region's hub city, chosen by stream so streams spread over
 * them, the next live one when it is down), and the core pulls from the stream's origin. A node
 * that is the origin, or the chosen core, needs fewer hops.
 */
final class StaticTree {
    private final Topology topo;
    private final Map<String, int[]> coresByRegion = new HashMap<>();

    StaticTree(Topology topo) {
        this.topo = topo;
        for (City c : topo.cities) {
            coresByRegion.computeIfAbsent(c.region(), topo::cores);
        }
    }

    /** The path origin → ... → node for stream {@code s}, skipping the first {@code skip} live cores; null when there is none. */
    int[] path(int s, int origin, int node, boolean[] alive, int skip) {
        if (!alive[origin] || !alive[node]) {
            return null;
        }
        if (node == origin) {
            return new int[]{origin};
        }
        int core = core(s, topo.region(node), alive, skip);
        if (core < 0) {
            return null;
        }
        if (core == node || core == origin) {
            return new int[]{origin, node};
        }
        return new int[]{origin, core, node};
    }

    private int core(int s, String region, boolean[] alive, int skip) {
        int[] cores = coresByRegion.get(region);
        for (int i = 0, live = 0; i < cores.length; i++) {
            int c = cores[(s + i) % cores.length];
            if (alive[c] && live++ == skip) {
                return c;
            }
        }
        return -1;
    }
}
