package io.meshlive.bench.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Writes RTMP chunk headers by hand, in every form, so a test can say exactly what goes on the wire. */
final class ChunkBytes {
    final ByteBuf out = Unpooled.buffer();

    ChunkBytes basic(int fmt, int csid) {
        if (csid < 64) {
            out.writeByte(fmt << 6 | csid);
        } else if (csid < 320) {
            out.writeByte(fmt << 6).writeByte(csid - 64);
        } else {
            out.writeByte(fmt << 6 | 1).writeShortLE(csid - 64);
        }
        return this;
    }

    ChunkBytes fmt0(int csid, long timestamp, int length, int type, int streamId) {
        basic(0, csid).out.writeMedium(field(timestamp)).writeMedium(length).writeByte(type).writeIntLE(streamId);
        return extended(timestamp);
    }

    ChunkBytes fmt1(int csid, long delta, int length, int type) {
        basic(1, csid).out.writeMedium(field(delta)).writeMedium(length).writeByte(type);
        return extended(delta);
    }

    ChunkBytes fmt2(int csid, long delta) {
        basic(2, csid).out.writeMedium(field(delta));
        return extended(delta);
    }

    ChunkBytes fmt3(int csid) {
        return basic(3, csid);
    }

    /** The extended timestamp a fmt 3 chunk repeats when its message header had one. */
    ChunkBytes repeatExtended(long timestamp) {
        out.writeInt((int) timestamp);
        return this;
    }

    ChunkBytes payload(int... bytes) {
        for (int b : bytes) {
            out.writeByte(b);
        }
        return this;
    }

    ChunkBytes filler(int n, int value) {
        for (int i = 0; i < n; i++) {
            out.writeByte(value);
        }
        return this;
    }

    private static int field(long timestamp) {
        return timestamp >= 0xFFFFFF ? 0xFFFFFF : (int) timestamp;
    }

    private ChunkBytes extended(long timestamp) {
        if (timestamp >= 0xFFFFFF) {
            out.writeInt((int) timestamp);
        }
        return this;
    }
}
