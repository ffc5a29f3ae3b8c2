package io.meshlive.rtmp.amf;

import io.netty.handler.codec.DecoderException;

/**
 * Malformed AMF input: a truncated value, a length or count the bytes cannot back, an unknown or
 * unsupported marker, a bad reference, or nesting past {@link Amf0Reader#MAX_DEPTH}.
 *
 * <p>It is a {@link DecoderException} so that Netty's decoders rethrow it as it is instead of
 * wrapping it, and a pipeline's {@code exceptionCaught} sees what was wrong with the message.
 */
public final class AmfException extends DecoderException {
    private static final long serialVersionUID = 1L;

    private final int offset;

    /** {@code offset} is the buffer index of the value or field that was wrong. */
    public AmfException(String reason, int offset) {
        super(reason + " at offset " + offset);
        this.offset = offset;
    }

    /** No stack trace: an expected outcome of bad input from a peer, told by its message and offset. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    /** The buffer index (not relative to where reading started) of the value or field that was wrong. */
    public int offset() {
        return offset;
    }
}
