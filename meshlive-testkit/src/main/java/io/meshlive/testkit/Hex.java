package io.meshlive.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.util.HexFormat;

/** Known bytes written as hex in tests (captures, RFC vectors), and bytes shown as hex in failure messages. */
public final class Hex {
    private Hex() {
    }

    /** Hex digits, joined; white space and '_' between them are only for reading and are ignored. */
    public static byte[] hex(String... parts) {
        return HexFormat.of().parseHex(String.join("", parts).replaceAll("[\\s_]", ""));
    }

    /** {@link #hex} in an unpooled heap buffer (nothing to release). */
    public static ByteBuf buffer(String... parts) {
        return Unpooled.wrappedBuffer(hex(parts));
    }

    /** Lower-case hex, no separators. */
    public static String text(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** The buffer's readable bytes in lower-case hex; the buffer's indexes do not move. */
    public static String text(ByteBuf buffer) {
        return ByteBufUtil.hexDump(buffer);
    }
}
