package io.meshlive.webrtc.sdp;

import io.meshlive.core.ClientText;

/**
 * An SDP we cannot read or cannot answer; the message says what is wrong and, for a parse error,
 * the line number and text, so it can go back to the client as it is.
 */
public final class SdpException extends Exception {
    public SdpException(String message) {
        super(message);
    }

    static SdpException atLine(int lineNumber, String line, String problem) {
        return new SdpException("line " + lineNumber + " " + ClientText.quote(line) + ": " + problem);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an expected outcome of bad input, reported by its message alone
    }
}
