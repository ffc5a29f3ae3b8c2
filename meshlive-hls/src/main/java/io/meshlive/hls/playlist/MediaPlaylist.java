package io.meshlive.hls.playlist;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Writes an HLS media playlist (RFC 8216, and its LL-HLS second edition draft) from the current
 * window of segments. Classic playlists list whole segments; low-latency ones add the parts of
 * the last segments, the parts of the segment in progress, a preload hint for the next part, and
 * the server-control attributes that let players block on reloads and ask for delta updates.
 *
 * <p>The packager writes the text once per change of its window and shares it between every
 * player's request.
 */
public final class MediaPlaylist {
    private static final DateTimeFormatter PROGRAM_DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    /**
     * How the playlist is written.
     *
     * @param targetDurationSeconds EXT-X-TARGETDURATION: no segment is longer (rounded)
     * @param partTargetSeconds     EXT-X-PART-INF PART-TARGET; 0 for a classic playlist
     * @param initUri               EXT-X-MAP URI for fMP4 segments; null for MPEG-TS
     * @param partHoldBackParts     PART-HOLD-BACK in part targets: 3 is the least the spec allows
     *                              and gives the lowest latency; more rides out hiccups
     */
    public record Layout(int targetDurationSeconds, double partTargetSeconds, String initUri, int partHoldBackParts) {
        public Layout {
            if (partTargetSeconds > 0 && partHoldBackParts < 3) {
                throw new IllegalArgumentException("PART-HOLD-BACK must be at least 3 part targets, got " + partHoldBackParts);
            }
        }

        public boolean lowLatency() {
            return partTargetSeconds > 0;
        }

        double partHoldBackSeconds() {
            return partHoldBackParts * partTargetSeconds;
        }

        /** CAN-SKIP-UNTIL: six target durations, the least the spec allows. */
        double canSkipUntilSeconds() {
            return 6.0 * targetDurationSeconds;
        }
    }

    private MediaPlaylist() {
    }

    /**
     * The playlist text.
     *
     * @param segments            the window, oldest first; for LL-HLS the last may be in progress
     * @param discontinuitySequence EXT-X-DISCONTINUITY-SEQUENCE of the first segment in the window
     * @param preloadHintUri      the next part's URI (LL-HLS), or null
     * @param skip                a delta update (_HLS_skip=YES): old segments are replaced by EXT-X-SKIP
     */
    public static String write(Layout layout, List<Segment> segments, long discontinuitySequence,
                               String preloadHintUri, boolean skip) {
        StringBuilder b = new StringBuilder(256 + 160 * segments.size());
        b.append("#EXTM3U\n");
        b.append("#EXT-X-VERSION:").append(layout.lowLatency() ? (skip ? 9 : 6) : 3).append('\n');
        b.append("#EXT-X-TARGETDURATION:").append(layout.targetDurationSeconds()).append('\n');
        if (layout.lowLatency()) {
            b.append("#EXT-X-PART-INF:PART-TARGET=").append(seconds(layout.partTargetSeconds())).append('\n');
            b.append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=").append(seconds(layout.partHoldBackSeconds()))
                    .append(",CAN-SKIP-UNTIL=").append(seconds(layout.canSkipUntilSeconds())).append('\n');
        }
        long firstSequence = segments.isEmpty() ? 0 : segments.get(0).sequence();
        b.append("#EXT-X-MEDIA-SEQUENCE:").append(firstSequence).append('\n');
        if (discontinuitySequence > 0) {
            b.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitySequence).append('\n');
        }
        if (layout.initUri() != null) {
            b.append("#EXT-X-MAP:URI=\"").append(layout.initUri()).append("\"\n");
        }
        int skipped = skip ? skippable(layout, segments) : 0;
        if (skipped > 0) {
            b.append("#EXT-X-SKIP:SKIPPED-SEGMENTS=").append(skipped).append('\n');
        }
        double partsFrom = partsWindowStart(layout, segments);
        double elapsed = 0;
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            boolean listParts = layout.lowLatency() && elapsed >= partsFrom;
            elapsed += s.durationSeconds();
            if (i < skipped) {
                continue;
            }
            if (s.discontinuity()) {
                b.append("#EXT-X-DISCONTINUITY\n");
            }
            // Every segment is dated, so a full and a delta playlist say the same of each, and
            // nothing is left to a player's sum of durations.
            b.append("#EXT-X-PROGRAM-DATE-TIME:")
                    .append(PROGRAM_DATE_TIME.format(Instant.ofEpochMilli(s.programDateTimeMillis()))).append('\n');
            if (listParts || s.inProgress()) {
                for (Part p : s.parts()) {
                    b.append("#EXT-X-PART:DURATION=").append(seconds(p.durationSeconds())).append(",URI=\"").append(p.uri()).append('"');
                    if (p.independent()) {
                        b.append(",INDEPENDENT=YES");
                    }
                    b.append('\n');
                }
            }
            if (!s.inProgress()) {
                b.append("#EXTINF:").append(seconds(s.durationSeconds())).append(",\n").append(s.uri()).append('\n');
            }
        }
        if (layout.lowLatency() && preloadHintUri != null) {
            b.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"").append(preloadHintUri).append("\"\n");
        }
        return b.toString();
    }

    /**
     * Parts stay listed for the segments in the last three target durations of the playlist, as
     * the LL-HLS spec asks; older segments are listed whole only. Returns the elapsed time at
     * which listing parts starts.
     */
    private static double partsWindowStart(Layout layout, List<Segment> segments) {
        double total = 0;
        for (Segment s : segments) {
            total += s.durationSeconds();
        }
        return total - 3.0 * layout.targetDurationSeconds();
    }

    /** How many leading complete segments are older than CAN-SKIP-UNTIL from the end. */
    private static int skippable(Layout layout, List<Segment> segments) {
        double fromEnd = 0;
        int keep = 0;
        for (int i = segments.size() - 1; i >= 0; i--) {
            fromEnd += segments.get(i).durationSeconds();
            keep++;
            if (fromEnd >= layout.canSkipUntilSeconds()) {
                break;
            }
        }
        return Math.max(0, segments.size() - keep);
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }
}
