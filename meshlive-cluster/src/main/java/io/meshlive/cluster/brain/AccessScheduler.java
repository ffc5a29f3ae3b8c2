package io.meshlive.cluster.brain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleBiFunction;

/**
 * Viewer access scheduling: which nodes a viewer should play from, best first. A node's score is
 * the expected delay to the viewer (region distance in ms), plus its load penalty, plus a cost when
 * it does not carry the stream yet (it would have to pull a copy first); nodes without headroom
 * come last, so a viewer is still served when everything is full.
 */
public final class AccessScheduler {
    private final LoadPenalty penalty;
    private final ToDoubleBiFunction<String, String> regionDelayMs;
    private final double notCarryingMs;

    /**
     * @param regionDelayMs expected one-way delay between two regions (0 within one)
     * @param notCarryingMs what it costs to send a viewer to a node that does not carry the stream yet
     */
    public AccessScheduler(BrainSettings settings, ToDoubleBiFunction<String, String> regionDelayMs, double notCarryingMs) {
        this.penalty = new LoadPenalty(settings);
        this.regionDelayMs = regionDelayMs;
        this.notCarryingMs = notCarryingMs;
    }

    /** Up to {@code limit} nodes for a viewer in {@code clientRegion}, best first. */
    public List<NodeState> pick(String clientRegion, List<NodeState> nodes, Set<String> carriers, int limit) {
        record Scored(NodeState node, boolean headroom, double score) {
        }
        List<Scored> scored = new ArrayList<>(nodes.size());
        for (NodeState n : nodes) {
            double u = LoadPenalty.utilisation(n.load(), 0);
            double score = regionDelayMs.applyAsDouble(clientRegion, n.region()) + penalty.penaltyMs(u)
                    + (carriers.contains(n.id()) ? 0 : notCarryingMs);
            scored.add(new Scored(n, penalty.hasHeadroom(u), score));
        }
        scored.sort(Comparator.comparing((Scored s) -> !s.headroom()).thenComparingDouble(Scored::score)
                .thenComparing(s -> s.node().id()));
        List<NodeState> best = new ArrayList<>(Math.min(limit, scored.size()));
        for (int i = 0; i < scored.size() && i < limit; i++) {
            best.add(scored.get(i).node());
        }
        return best;
    }
}
