package io.meshlive.webrtc.datachannel;

/** A DCEP message (RFC 8832) we cannot take; the message says why, for one log line. */
public final class DcepException extends Exception {
    public DcepException(String message) {
        super(message, null, false, false);
    }
}
