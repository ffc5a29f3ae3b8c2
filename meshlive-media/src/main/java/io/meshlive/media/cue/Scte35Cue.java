package io.meshlive.media.cue;

import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cue of kind {@value #KIND}: its payload names a binary SCTE-35 splice_info_section,
 * {@code {"splice": "<hex, optionally 0x-prefixed, or base64>", "out": true|false}}, which HLS
 * carries as {@code SCTE35-OUT}/{@code SCTE35-IN} and fMP4 as a {@code urn:scte:scte35:2013:bin}
 * emsg. A scte35 cue without readable splice bytes goes out as an ordinary cue.
 */
public final class Scte35Cue {
    public static final String KIND = "scte35";
    private static final Pattern SPLICE = Pattern.compile("\"splice\"\\s*:\\s*\"(?:0x|0X)?([^\"]+)\"");
    private static final Pattern IN = Pattern.compile("\"out\"\\s*:\\s*false");
    private static final Pattern HEX = Pattern.compile("(?:[0-9A-Fa-f]{2})+");

    private Scte35Cue() {
    }

    /** The splice_info_section bytes, or null when this is not a scte35 cue with readable ones. */
    public static byte[] splice(Cue cue) {
        if (!KIND.equals(cue.kind())) {
            return null;
        }
        Matcher m = SPLICE.matcher(cue.payload());
        if (!m.find()) {
            return null;
        }
        String text = m.group(1);
        try {
            return HEX.matcher(text).matches() ? HexFormat.of().parseHex(text) : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether the splice returns to the programme (SCTE35-IN) rather than leaving it (SCTE35-OUT, the default). */
    public static boolean isIn(Cue cue) {
        return IN.matcher(cue.payload()).find();
    }
}
