package io.meshlive.cluster.brain;

import java.util.HashMap;
import java.util.Map;

/**
 * Tells when a link of the quality map got clearly worse, so the brain recomputes the streams
 * routed over it at its next tick rather than at the next periodic recomputation. "Clearly" is
 * the decision centre's own bar for switching paths: the link's cost rose by at least
 * {@link BrainSettings#switchMinGainMs} and its old cost is at most {@link BrainSettings#switchRatio}
 * of the new one. A link is compared with its baseline: the cost it had when last flagged, or the
 * lowest since, so a slow drift is flagged once it adds up, and noise around a level is not.
 * Not thread-safe: the brain's thread owns it.
 */
final class LinkDegradation {
    private final BrainSettings settings;
    /** {@code from > to} → baseline cost, ms. */
    private final Map<String, Double> baseline = new HashMap<>();

    LinkDegradation(BrainSettings settings) {
        this.settings = settings;
    }

    /** Folds in the link's current figures; true when they are clearly worse than its baseline. */
    boolean worse(Link now) {
        double cost = MeshGraph.linkCostMs(now, settings);
        String key = now.from() + '>' + now.to();
        Double base = baseline.get(key);
        if (base == null || cost < base) {
            baseline.put(key, cost);
            return false;
        }
        if (cost - base >= settings.switchMinGainMs() && base <= cost * settings.switchRatio()) {
            baseline.put(key, cost);
            return true;
        }
        return false;
    }

    /** Forgets every link from or to a node that left. */
    void forgetNode(String nodeId) {
        baseline.keySet().removeIf(k -> k.startsWith(nodeId + '>') || k.endsWith('>' + nodeId));
    }
}
