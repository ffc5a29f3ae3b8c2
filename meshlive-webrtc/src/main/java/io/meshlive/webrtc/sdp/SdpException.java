package io.meshlive.webrtc.sdp;

/**
 * An SDP we cannot read or cannot answer; the message says what is wrong and, for a parse error,
 * the line number and text, so it can go back to the client as it is.
 */
public final class SdpException extends Exception {
    public SdpException(String message) {
        super(message);
    }

    static SdpException atLine(int lineNumber, String line, String problem) {
        return new SdpException("line " + lineNumber + " '" + abbreviate(line) + "': " + problem);
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 77) + "...";
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an expected outcome of bad input, reported by its message alone
    }
}
