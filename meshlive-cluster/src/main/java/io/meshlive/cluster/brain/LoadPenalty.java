package io.meshlive.cluster.brain;

import io.meshlive.cluster.store.NodeLoad;

/**
 * The scheduling controller's verdict on a node: how close it is to its limits, and what sending
 * one more copy through it costs. Utilisation is the worst of egress against capacity and CPU;
 * the penalty grows like {@code u / (1 - u)}, gentle at half load and steep near the top, so
 * routes drain away from a node well before it saturates.
 */
public final class LoadPenalty {
    private final double scaleMs;
    private final double maxUtilisation;

    public LoadPenalty(BrainSettings settings) {
        this.scaleMs = settings.loadPenaltyMs();
        this.maxUtilisation = settings.maxUtilisation();
    }

    /** 0..1 (or above when over capacity): the larger of egress/capacity (with {@code extraBits} more) and CPU. */
    public static double utilisation(NodeLoad load, long extraBitsPerSecond) {
        double egress = load.capacityBitsPerSecond() <= 0 ? 1
                : (double) (load.egressBitsPerSecond() + extraBitsPerSecond) / load.capacityBitsPerSecond();
        return Math.max(egress, load.cpu());
    }

    /** Whether the node may take a new child (or a new viewer). */
    public boolean hasHeadroom(double utilisation) {
        return utilisation < maxUtilisation;
    }

    /** Cost in ms of using a node at this utilisation as a parent. */
    public double penaltyMs(double utilisation) {
        double u = Math.min(Math.max(utilisation, 0), 0.99);
        return scaleMs * u / (1 - u);
    }
}
