package io.meshlive.hls.playlist;

import java.util.List;

/**
 * A media segment as the playlist lists it.
 *
 * @param sequence          its media sequence number
 * @param durationSeconds   its media duration (0 while it is still being written)
 * @param uri               where the whole segment is fetched (null while it is still being written)
 * @param programDateTimeMillis wall-clock time of its first frame, for EXT-X-PROGRAM-DATE-TIME
 * @param discontinuity     the publisher restarted before this segment
 * @param parts             its LL-HLS parts, in order (empty for classic HLS)
 */
public record Segment(long sequence, double durationSeconds, String uri, long programDateTimeMillis,
                      boolean discontinuity, List<Part> parts) {
    public Segment {
        parts = List.copyOf(parts);
    }

    /** A segment still being written: it has parts but no whole-segment URI yet. */
    public boolean inProgress() {
        return uri == null;
    }
}
