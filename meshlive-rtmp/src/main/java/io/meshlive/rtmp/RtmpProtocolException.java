package io.meshlive.rtmp;

import io.netty.handler.codec.DecoderException;

/**
 * The peer broke the RTMP protocol; the message says how, and the session is closed for it.
 * A {@link DecoderException}, so Netty's decoders pass it on as it is rather than wrapped.
 */
public final class RtmpProtocolException extends DecoderException {
    public RtmpProtocolException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an expected outcome of bad input, reported by its message alone
    }
}
