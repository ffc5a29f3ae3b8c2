package io.meshlive.hls;

/**
 * The EXT-X-PROGRAM-DATE-TIME of each segment of one output. The first segment is dated by its
 * first frame's arrival; each next one continues that date by the media time between them, so
 * consecutive dates differ by exactly the EXTINF between them. Arrival times jitter by tens of
 * milliseconds (network, a busy node), and a player takes dates at their word: hls.js aligns a
 * reloaded playlist on the dates of two different segments when its window has not slid yet, so
 * dates 85 ms apart from their durations moved its whole timeline by 85 ms, it loaded the parts it
 * had played again and stalled at start-up. A date farther than the tolerance from the arrival
 * (a publisher that stalled, or a clock that drifts from its timestamps), a discontinuity, or a
 * timestamp that goes back starts again from the arrival.
 *
 * <p>One output of one stream; not thread-safe (the packager's loop).
 */
final class ProgramDates {
    private final long toleranceMillis;
    private boolean anchored;
    /** The dts (µs) and date (ms since the epoch) the current run of dates counts from. */
    private long anchorDts;
    private long anchorMillis;

    /** @param toleranceMillis how far a continued date may be from the arrival before it restarts there */
    ProgramDates(long toleranceMillis) {
        this.toleranceMillis = toleranceMillis;
    }

    /**
     * The date of a segment whose first frame has {@code firstDts} (µs) and arrived at
     * {@code arrivalMillis}; {@code continuous} unless the segment follows a discontinuity.
     */
    long date(long firstDts, long arrivalMillis, boolean continuous) {
        if (anchored && continuous && firstDts >= anchorDts) {
            long continued = anchorMillis + Math.floorDiv(firstDts - anchorDts, 1000);
            if (Math.abs(arrivalMillis - continued) <= toleranceMillis) {
                return continued;
            }
        }
        anchored = true;
        anchorDts = firstDts;
        anchorMillis = arrivalMillis;
        return arrivalMillis;
    }
}
