package io.meshlive.hls.playlist;

import io.meshlive.media.cue.Cue;
import io.meshlive.media.cue.CueJson;
import io.meshlive.media.cue.Scte35Cue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A cue as an {@code EXT-X-DATERANGE} tag (RFC 8216bis 4.4.5.1), placed by its frame's
 * program date time. Ordinary cues are of CLASS {@value #CLASS} with {@code X-KIND} and
 * {@code X-CUE}, the cue's JSON in base64 (a quoted-string may hold no double quote); SCTE-35
 * cues with splice bytes carry them as {@code SCTE35-OUT} or {@code SCTE35-IN}, as ad-aware
 * platforms expect.
 */
public final class CueDateRange {
    public static final String CLASS = "io.meshlive.cue";
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private CueDateRange() {
    }

    /** The tag line, newline included. */
    public static String line(Cue cue, long startDateMillis) {
        StringBuilder b = new StringBuilder(160);
        b.append("#EXT-X-DATERANGE:ID=\"cue-").append(safeId(cue.id())).append('"');
        byte[] splice = Scte35Cue.splice(cue);
        if (splice == null) {
            b.append(",CLASS=\"").append(CLASS).append('"');
        }
        b.append(",START-DATE=\"").append(DATE.format(Instant.ofEpochMilli(startDateMillis))).append('"');
        if (cue.durationMillis() > 0) {
            b.append(",DURATION=").append(String.format(Locale.ROOT, "%.3f", cue.durationMillis() / 1000.0));
        }
        if (splice != null) {
            b.append(Scte35Cue.isIn(cue) ? ",SCTE35-IN=0x" : ",SCTE35-OUT=0x").append(HexFormat.of().withUpperCase().formatHex(splice));
        } else {
            b.append(",X-KIND=\"").append(safeId(cue.kind())).append('"');
            b.append(",X-CUE=\"").append(Base64.getEncoder().encodeToString(CueJson.of(cue).getBytes(StandardCharsets.UTF_8))).append('"');
        }
        return b.append('\n').toString();
    }

    /** Characters a quoted-string may hold: no double quote, CR or LF (a publisher's cue id may have any). */
    private static String safeId(String s) {
        return s.replaceAll("[\"\\r\\n]", "_");
    }
}
