package io.meshlive.cluster.brain;

/** A directed link of the quality map: smoothed measurements and when they were last refreshed. */
public record Link(String from, String to, double rttMillis, double jitterMillis, double loss, long updatedMillis) {

    /** How old this link's last measurement is at {@code nowMillis}. */
    public long ageMillis(long nowMillis) {
        return Math.max(0, nowMillis - updatedMillis);
    }
}
