package io.meshlive.webrtc.rtp;

/** A packet or a frame that breaks RTP or its payload format; the packet (or frame) is unusable. */
public final class RtpException extends Exception {
    private static final long serialVersionUID = 1L;

    public RtpException(String message) {
        // No stack trace: a peer can send a bad packet per datagram; the message says what was wrong.
        super(message, null, false, false);
    }
}
