package io.meshlive.hls.playlist;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Writes an HLS master (multivariant) playlist: one EXT-X-STREAM-INF per variant, highest
 * bandwidth first, so a player starts high and steps down.
 */
public final class MasterPlaylist {
    /**
     * One variant stream.
     *
     * @param bandwidth peak bits per second
     * @param codecs    RFC 6381 codec strings, e.g. {@code avc1.42c01f,mp4a.40.2}
     * @param uri       relative to the master playlist
     */
    public record Variant(long bandwidth, int width, int height, String codecs, String uri) {
    }

    private MasterPlaylist() {
    }

    public static String write(List<Variant> variants) {
        StringBuilder out = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        variants.stream().sorted(Comparator.comparingLong(Variant::bandwidth).reversed()).forEach(v -> {
            out.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(v.bandwidth());
            if (v.width() > 0 && v.height() > 0) {
                out.append(",RESOLUTION=").append(v.width()).append('x').append(v.height());
            }
            if (!v.codecs().isEmpty()) {
                out.append(",CODECS=\"").append(v.codecs()).append('"');
            }
            out.append('\n').append(v.uri()).append('\n');
        });
        return out.toString();
    }

    /** The RFC 6381 string of an H.264 stream: {@code avc1.PPCCLL}. */
    public static String avc1(int profile, int constraints, int level) {
        return String.format(Locale.ROOT, "avc1.%02x%02x%02x", profile, constraints, level);
    }
}
