package io.meshlive.cluster.brain;

/**
 * The decision centre's weights and limits. Costs are in milliseconds of one-way delay, so every
 * term reads as "this is worth as much as that many ms of path".
 *
 * @param hopLimit          most relay hops from the origin to a viewer's node
 * @param hopCostMs         what one relay hop adds besides the wire (receive, demux, re-send)
 * @param jitterWeight      ms of cost per ms of measured jitter (a player buffers against it)
 * @param lossPenaltyMs     ms of cost for a loss rate of 1.0 (1 % loss costs a hundredth of it)
 * @param loadPenaltyMs     scale of the load penalty: at 50 % utilisation a parent costs half of it
 * @param maxUtilisation    a node at or above this utilisation takes no new children
 * @param carryDiscountMs   taken off a link into a node that already carries the stream (passing
 *                          through such a node costs no new copy); at most {@code hopCostMs}
 * @param switchRatio       a new path must cost at most this fraction of the current path...
 * @param switchMinGainMs   ...and be at least this much cheaper...
 * @param switchHoldMillis  ...for this long before it replaces the current one
 */
public record BrainSettings(int hopLimit, double hopCostMs, double jitterWeight, double lossPenaltyMs,
                            double loadPenaltyMs, double maxUtilisation, double carryDiscountMs,
                            double switchRatio, double switchMinGainMs, long switchHoldMillis) {

    public BrainSettings {
        if (hopLimit < 1 || hopLimit > 8) {
            throw new IllegalArgumentException("hopLimit " + hopLimit + ": allowed 1-8");
        }
        if (carryDiscountMs < 0 || carryDiscountMs > hopCostMs) {
            throw new IllegalArgumentException("carryDiscountMs " + carryDiscountMs + ": allowed 0 up to hopCostMs ("
                    + hopCostMs + "), so no link costs less than nothing");
        }
        if (switchRatio <= 0 || switchRatio > 1) {
            throw new IllegalArgumentException("switchRatio " + switchRatio + ": allowed above 0 up to 1");
        }
        if (maxUtilisation <= 0 || maxUtilisation > 1) {
            throw new IllegalArgumentException("maxUtilisation " + maxUtilisation + ": allowed above 0 up to 1");
        }
    }

    /**
     * Three relay hops at most, 2 ms per hop, 1 % loss worth 20 ms, a hop into a node that carries
     * the stream already 2 ms cheaper, switch for a 15 % and 5 ms gain held 10 s.
     */
    public static BrainSettings defaults() {
        return new BrainSettings(3, 2.0, 1.0, 2_000, 20, 0.95, 2, 0.85, 5, 10_000);
    }
}
