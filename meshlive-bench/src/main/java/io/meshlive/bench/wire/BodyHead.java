package io.meshlive.bench.wire;

import io.netty.buffer.ByteBuf;

/**
 * The first two bytes of a media body, which is all a player needs to tell a coded frame from a
 * sequence header (see {@link FlvMedia}); the body itself is skipped, never copied.
 */
final class BodyHead {
    private int first = -1;
    private int second = -1;

    void reset() {
        first = -1;
        second = -1;
    }

    /** Notes body bytes 0 and 1 if they are among the next {@code n} readable bytes, which start at body offset {@code offset}. */
    void take(ByteBuf in, int offset, int n) {
        int at = in.readerIndex();
        if (offset == 0 && n > 0) {
            first = in.getUnsignedByte(at);
        }
        if (offset <= 1 && offset + n > 1) {
            second = in.getUnsignedByte(at + 1 - offset);
        }
    }

    /** Byte 0 of the body, or -1 for an empty body. */
    int first() {
        return first;
    }

    /** Byte 1 of the body, or -1 when it is shorter. */
    int second() {
        return second;
    }
}
