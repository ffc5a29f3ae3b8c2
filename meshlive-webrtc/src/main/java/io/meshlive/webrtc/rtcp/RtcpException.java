package io.meshlive.webrtc.rtcp;

/** A malformed RTCP packet; the message says what was wrong. The caller drops the datagram. */
public final class RtcpException extends Exception {
    private static final long serialVersionUID = 1L;

    public RtcpException(String message) {
        // No stack trace: bad input from the network is an expected outcome, told by its message.
        super(message, null, false, false);
    }
}
