package io.meshlive.webrtc.sctp;

/** An SCTP packet or chunk that breaks RFC 9260; the message says what, for one log line. */
public final class SctpException extends Exception {
    public SctpException(String message) {
        super(message, null, false, false);
    }
}
