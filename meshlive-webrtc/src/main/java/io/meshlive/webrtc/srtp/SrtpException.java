package io.meshlive.webrtc.srtp;

/**
 * An incoming SRTP or SRTCP packet was refused; the message says why ("auth tag mismatch",
 * "replayed packet seq=…", "packet too short"). The packet is to be dropped, the session goes on.
 */
public final class SrtpException extends Exception {
    public SrtpException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an expected outcome of bad or hostile input, reported by its message alone
    }
}
