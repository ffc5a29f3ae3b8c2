package io.meshlive.media.cue;

/**
 * A cue as one JSON object, the form pages read from ID3 frames and playlist attributes:
 * {@code {"id","kind","payload":<the payload as is>,"pts":ms,"ingestTime":epoch ms,"durationMs",
 * "sticky","late"}}. The payload is already JSON and goes in unchanged.
 */
public final class CueJson {
    private CueJson() {
    }

    public static String of(Cue cue) {
        StringBuilder b = new StringBuilder(128 + cue.payload().length());
        b.append("{\"id\":");
        string(b, cue.id());
        b.append(",\"kind\":");
        string(b, cue.kind());
        b.append(",\"payload\":").append(cue.payload().isBlank() ? "null" : cue.payload());
        b.append(",\"pts\":").append(cue.ptsMicros() / 1000.0);
        b.append(",\"ingestTime\":").append(cue.ingestWallMillis());
        b.append(",\"durationMs\":").append(cue.durationMillis());
        b.append(",\"sticky\":").append(cue.sticky());
        b.append(",\"late\":").append(cue.late());
        return b.append('}').toString();
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    public static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }
}
