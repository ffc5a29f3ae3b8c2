package io.meshlive.bench.wire;

import io.netty.buffer.ByteBuf;

/**
 * A header of a few bytes that may arrive split across reads. Its bytes are gathered here and
 * read by offset afterwards, which is simpler than resuming a half-parsed header and costs a
 * copy of at most {@code capacity} bytes per header.
 */
final class SplitHeader {
    private final byte[] bytes;
    private int size;

    SplitHeader(int capacity) {
        this.bytes = new byte[capacity];
    }

    /** Takes bytes from {@code in} until {@code length} are held; false when {@code in} ran out first. */
    boolean fill(ByteBuf in, int length) {
        int n = Math.min(length - size, in.readableBytes());
        if (n > 0) {
            in.readBytes(bytes, size, n);
            size += n;
        }
        return size >= length;
    }

    void clear() {
        size = 0;
    }

    int u8(int at) {
        return bytes[at] & 0xFF;
    }

    int u24(int at) {
        return u8(at) << 16 | u8(at + 1) << 8 | u8(at + 2);
    }

    long u32(int at) {
        return (long) u8(at) << 24 | u24(at + 1);
    }

    int s32LittleEndian(int at) {
        return u8(at) | u8(at + 1) << 8 | u8(at + 2) << 16 | u8(at + 3) << 24;
    }
}
