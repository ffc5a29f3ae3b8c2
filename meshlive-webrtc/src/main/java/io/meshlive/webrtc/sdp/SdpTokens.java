package io.meshlive.webrtc.sdp;

import java.util.regex.Pattern;

/**
 * Separators of the SDP grammar, compiled once: an offer has dozens of lines, and
 * {@code String.split} or {@code matches} with a regular expression compiles it on every call.
 */
final class SdpTokens {
    /** The SP / HTAB run between the fields of a line (RFC 8866 is strict; peers are not). */
    static final Pattern BLANKS = Pattern.compile("[ \t]+");
    /** One SP or HTAB. */
    static final Pattern BLANK = Pattern.compile("[ \t]");

    private SdpTokens() {
    }
}
