package io.meshlive.core;

/**
 * Text a client sent, made safe to log or echo: quoted, control characters (newlines, NUL...)
 * and quotes escaped so it cannot forge a log line or make the log binary, and cut to
 * {@link #MAX_CHARS} characters so a megabyte name costs a line, not a megabyte.
 */
public final class ClientText {
    /** Characters of client text kept; the rest is counted, not written. */
    public static final int MAX_CHARS = 80;

    private ClientText() {
    }

    /** {@code 'text'}, escaped and truncated; {@code null} for null. */
    public static String quote(CharSequence text) {
        if (text == null) {
            return "null";
        }
        int shown = Math.min(text.length(), MAX_CHARS);
        StringBuilder b = new StringBuilder(shown + 24).append('\'');
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\'' -> b.append("\\'");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('\'');
        if (text.length() > shown) {
            b.append("...(").append(text.length() - shown).append(" more chars)");
        }
        return b.toString();
    }
}
