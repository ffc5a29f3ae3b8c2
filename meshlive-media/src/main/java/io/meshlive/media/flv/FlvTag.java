package io.meshlive.media.flv;

import io.meshlive.media.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One FLV tag: its type, timestamp and body. The body ({@link #content()}) is a reference the
 * holder owns; release the tag when done, whether or not it became a frame.
 */
public final class FlvTag extends DefaultByteBufHolder {
    public static final int AUDIO = 8;
    public static final int VIDEO = 9;
    public static final int SCRIPT = 18;
    /** Type, data size, timestamp with its extension byte, stream id. */
    public static final int HEADER_LENGTH = 11;
    /** The PreviousTagSize field after every tag. */
    public static final int TRAILER_LENGTH = 4;

    private final int type;
    private final long timestampMillis;

    public FlvTag(int type, long timestampMillis, ByteBuf body) {
        super(body);
        this.type = type;
        this.timestampMillis = timestampMillis;
    }

    /** {@link #AUDIO}, {@link #VIDEO} or {@link #SCRIPT}. */
    public int type() {
        return type;
    }

    /** The tag timestamp: the decode time in milliseconds, unsigned 32 bits. */
    public long timestampMillis() {
        return timestampMillis;
    }

    /**
     * The frame in this tag, or null for a packet that carries none (see {@link FlvTagBody}). The
     * frame holds its own reference to the body; this tag still needs releasing.
     */
    public Frame toFrame(long arrivalNanos) {
        long dts = timestampMillis * 1000;
        return switch (type) {
            case AUDIO -> FlvTagBody.decodeAudio(content(), dts, arrivalNanos);
            case VIDEO -> FlvTagBody.decodeVideo(content(), dts, arrivalNanos);
            case SCRIPT -> FlvTagBody.decodeScript(content(), dts, arrivalNanos);
            default -> throw new IllegalStateException("FLV tag type " + type);
        };
    }

    @Override
    public FlvTag replace(ByteBuf content) {
        return new FlvTag(type, timestampMillis, content);
    }

    @Override
    public String toString() {
        return "FlvTag(type=" + type + ", timestamp=" + timestampMillis + ", size=" + content().readableBytes() + ")";
    }
}
