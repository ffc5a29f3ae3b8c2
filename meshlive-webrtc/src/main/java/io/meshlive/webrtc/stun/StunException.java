package io.meshlive.webrtc.stun;

/**
 * A datagram that is not a well-formed STUN message, or whose FINGERPRINT does not match; the
 * message says what was wrong. The caller drops the datagram.
 */
public final class StunException extends Exception {
    private static final long serialVersionUID = 1L;

    public StunException(String message) {
        // No stack trace: bad input from the network is an expected outcome, told by its message.
        super(message, null, false, false);
    }
}
