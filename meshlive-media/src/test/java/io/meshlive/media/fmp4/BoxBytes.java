package io.meshlive.media.fmp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.meshlive.testkit.Hex.hex;

/** Finds boxes in written output for byte-level assertions. */
final class BoxBytes {
    private BoxBytes() {
    }

    /** The bytes of the first box of {@code type}, header included, found by its four-character code. */
    static byte[] first(ByteBuf out, String type) {
        byte[] bytes = ByteBufUtil.getBytes(out);
        byte[] code = type.getBytes(StandardCharsets.US_ASCII);
        for (int i = 4; i + 4 <= bytes.length; i++) {
            if (bytes[i] == code[0] && bytes[i + 1] == code[1] && bytes[i + 2] == code[2] && bytes[i + 3] == code[3]) {
                int at = i - 4;
                int size = out.getInt(out.readerIndex() + at);
                return Arrays.copyOfRange(bytes, at, at + size);
            }
        }
        throw new AssertionError("no " + type + " box");
    }
}
