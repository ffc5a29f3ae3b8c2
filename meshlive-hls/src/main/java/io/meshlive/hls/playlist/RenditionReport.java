package io.meshlive.hls.playlist;

import java.util.List;

/**
 * EXT-X-RENDITION-REPORT (RFC 8216bis §4.4.5.4): how far another rendition of the same ladder has
 * got, so a player switching to it can ask for its next part with a blocking reload at once
 * instead of loading its playlist first.
 *
 * @param uri      that rendition's media playlist, relative to the playlist that carries the report
 * @param lastMsn  the media sequence number of its last part
 * @param lastPart the index of its last part in that segment
 */
public record RenditionReport(String uri, long lastMsn, int lastPart) {
    /**
     * The tags for {@code reports}, one line each. They go after everything else in a playlist:
     * each reads another stream's progress, which moves on its own, so they are written at the
     * moment of answering rather than kept in the playlist's shared text.
     */
    public static String write(List<RenditionReport> reports) {
        StringBuilder b = new StringBuilder(96 * reports.size());
        for (RenditionReport r : reports) {
            b.append("#EXT-X-RENDITION-REPORT:URI=\"").append(r.uri()).append("\",LAST-MSN=").append(r.lastMsn())
                    .append(",LAST-PART=").append(r.lastPart()).append('\n');
        }
        return b.toString();
    }
}
