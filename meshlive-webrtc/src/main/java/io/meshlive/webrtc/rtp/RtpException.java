package io.meshlive.webrtc.rtp;

/** A packet or a frame that breaks RTP or its payload format; the packet (or frame) is unusable. */
public final class RtpException extends Exception {
    public RtpException(String message) {
        super(message);
    }
}
