package io.meshlive.webrtc.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.util.HexFormat;

/** Test packets in both kinds of buffer SrtpContext meets, starting past a few unrelated bytes so offsets matter. */
enum Buffers {
    HEAP, DIRECT;

    private static final int LEADING_BYTES = 3;

    ByteBuf packet(byte[] bytes) {
        int capacity = LEADING_BYTES + bytes.length + 32;
        ByteBuf buffer = this == HEAP ? Unpooled.buffer(capacity) : PooledByteBufAllocator.DEFAULT.directBuffer(capacity);
        buffer.writeZero(LEADING_BYTES).writeBytes(bytes).skipBytes(LEADING_BYTES);
        return buffer;
    }

    ByteBuf packet(String hex) {
        return packet(HexFormat.of().parseHex(hex));
    }

    static String hex(ByteBuf buffer) {
        return ByteBufUtil.hexDump(buffer);
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
