package io.meshlive.cluster.brain;

/**
 * One probe round's result for the directed link {@code from → to}, as node {@code from} measured it.
 *
 * @param rttMillis    round-trip time
 * @param jitterMillis variation of the one-way delay
 * @param loss         fraction of probes lost, 0..1
 * @param atMillis     when it was measured (the reporting node's wall clock)
 */
public record LinkReport(String from, String to, double rttMillis, double jitterMillis, double loss, long atMillis) {

    /** Why this report cannot be a measurement, or null when it can. */
    public String impossibility() {
        if (from == null || to == null || from.equals(to)) {
            return "link " + from + " -> " + to + " does not join two nodes";
        }
        if (!(rttMillis >= 0) || rttMillis > 60_000) {
            return "rtt " + rttMillis + " ms is outside 0-60000";
        }
        if (!(jitterMillis >= 0) || jitterMillis > 60_000) {
            return "jitter " + jitterMillis + " ms is outside 0-60000";
        }
        if (!(loss >= 0) || loss > 1) {
            return "loss " + loss + " is outside 0-1";
        }
        return null;
    }
}
