package io.meshlive.bench.sim;

import io.meshlive.cluster.brain.DecisionCentre;
import io.meshlive.cluster.brain.Route;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The failure drill's model of how long the brain's mesh takes to feed a node's viewers again
 * after nodes die: a backup switch when the backup path survived, else a report to the store, the
 * brain's recomputation (its measured CPU time) and the pushed route, plus the round trips to set
 * up the new links. Apart from {@link Simulation} because it is the one place these assumptions
 * (detection time, store hops, set-up RTTs) are written down.
 */
final class MeshRestore {
    private final Topology topo;
    private final Map<String, Integer> index;
    /** stream → node → route, as they were before the failure. */
    private final Map<String, Map<String, Route>> before;
    private final Set<Integer> dead;
    /** The routes after the brain's recomputation. */
    private final DecisionCentre centre;
    private final double recomputeMillis;

    MeshRestore(Topology topo, Map<String, Integer> index, Map<String, Map<String, Route>> before, Set<Integer> dead,
                DecisionCentre centre, double recomputeMillis) {
        this.topo = topo;
        this.index = index;
        this.before = before;
        this.dead = dead;
        this.centre = centre;
        this.recomputeMillis = recomputeMillis;
    }

    /**
     * When the viewers of stream {@code s} on node {@code n} get frames again (ms after the failure),
     * or NaN when the failure did not touch them. The first live node after the last dead one on
     * the path notices (Simulation.DETECT_MS) and switches to its backup when that path is whole; otherwise it
     * tells the store, the brain recomputes (its measured time) and pushes the new route. Node
     * {@code n} also notices on its own and may switch to its own backup; whichever is first wins.
     * Each link of the new path from the last node still carrying the stream costs one RTT to set up.
     */
    double millis(int s, int n) {
        Map<String, Route> routes = before.getOrDefault(Simulation.streamId(s), Map.of());
        Route r = routes.get(topo.nodeId[n]);
        if (r == null) {
            return Double.NaN;
        }
        int lastDead = -1;
        for (int i = 0; i < r.path().size(); i++) {
            if (dead.contains(index.get(r.path().get(i)))) {
                lastDead = i;
            }
        }
        if (lastDead < 0) {
            return Double.NaN;
        }
        Route detector = routes.get(r.path().get(lastDead + 1));
        double viaDetector = switchTime(s, detector, routes);
        double own = detector == r ? Double.POSITIVE_INFINITY : backupTime(s, r, routes);
        return Math.min(viaDetector, own);
    }

    private double switchTime(int s, Route r, Map<String, Route> before) {
        double backup = backupTime(s, r, before);
        if (backup < Double.POSITIVE_INFINITY) {
            return backup;
        }
        Route now = centre.route(Simulation.streamId(s), r.node());
        if (now == null) {
            return Double.POSITIVE_INFINITY; // not re-routed at all
        }
        return Simulation.DETECT_MS + Simulation.STORE_HOP_MS + recomputeMillis + Simulation.STORE_HOP_MS + setup(now.path(), before);
    }

    private double backupTime(int s, Route r, Map<String, Route> before) {
        if (r.backupParent() == null) {
            return Double.POSITIVE_INFINITY;
        }
        for (String id : r.backupPath()) {
            if (dead.contains(index.get(id))) {
                return Double.POSITIVE_INFINITY;
            }
        }
        return Simulation.DETECT_MS + setup(r.backupPath(), before);
    }

    /** RTTs to set up the links of {@code path} after the last node that still gets the stream. */
    private double setup(List<String> path, Map<String, Route> before) {
        int from = 0;
        for (int i = path.size() - 2; i > 0; i--) {
            Route r = before.get(path.get(i));
            if (r != null && r.path().stream().noneMatch(id -> dead.contains(index.get(id)))) {
                from = i;
                break;
            }
        }
        double ms = 0;
        for (int i = from; i < path.size() - 1; i++) {
            ms += topo.rtt(index.get(path.get(i)), index.get(path.get(i + 1)));
        }
        return ms;
    }
}
