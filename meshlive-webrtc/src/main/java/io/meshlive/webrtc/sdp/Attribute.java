package io.meshlive.webrtc.sdp;

import io.meshlive.core.ClientText;

/**
 * One {@code a=} line: {@code a=name:value}, or {@code a=name} (a flag, value ""). Keeps its line
 * number and text so a later complaint about its value can point at it.
 */
record Attribute(String name, String value, int lineNumber, String line) {
    static Attribute of(String line, int lineNumber) {
        String body = line.substring(2);
        int colon = body.indexOf(':');
        return colon < 0
                ? new Attribute(body, "", lineNumber, line)
                : new Attribute(body.substring(0, colon), body.substring(colon + 1), lineNumber, line);
    }

    SdpException error(String problem) {
        return SdpException.atLine(lineNumber, line, problem);
    }

    /** A decimal number in [0, max] from one token of this attribute's value, or an error naming it. */
    long number(String token, long max, String what) throws SdpException {
        long n = Numbers.parse(token, max);
        if (n < 0) {
            throw error(what + " is not a number from 0 to " + max + ": " + ClientText.quote(token));
        }
        return n;
    }
}
