package io.meshlive.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One wire form of a frame: the RTMP chunk sequence, an HTTP-FLV chunk, a WebSocket-FLV message...
 * A frame is encoded into each form at most once per stream and the bytes are shared by every
 * viewer that speaks it (see {@link Frame#encoded(FrameFormat)}).
 *
 * <p>Implementations are stateless singletons: the same frame must always give the same bytes.
 */
public abstract class FrameFormat {
    /** Room for this many formats per frame; a format beyond it is a programming error. */
    static final int MAX_FORMATS = 16;
    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    private final int id;
    private final String name;

    protected FrameFormat(String name) {
        this.name = name;
        this.id = NEXT_ID.getAndIncrement();
        if (id >= MAX_FORMATS) {
            throw new IllegalStateException("too many frame formats, raise FrameFormat.MAX_FORMATS: " + name);
        }
    }

    final int id() {
        return id;
    }

    public final String name() {
        return name;
    }

    /** Encodes the frame; the result is owned by the caller (the frame caches it). */
    protected abstract ByteBuf encode(Frame frame, ByteBufAllocator alloc);

    @Override
    public String toString() {
        return name;
    }
}
