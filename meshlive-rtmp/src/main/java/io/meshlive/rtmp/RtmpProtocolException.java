package io.meshlive.rtmp;

/** The peer broke the RTMP protocol; the message says how, and the session is closed for it. */
public final class RtmpProtocolException extends RuntimeException {
    public RtmpProtocolException(String message) {
        super(message, null, false, false);
    }
}
