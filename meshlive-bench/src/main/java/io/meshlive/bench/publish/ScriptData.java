package io.meshlive.bench.publish;

import io.meshlive.rtmp.amf.Amf0Writer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/** The one script tag a publisher treats specially: onMetaData, which RTMP publishers send as {@code @setDataFrame}. */
final class ScriptData {
    private static final byte[] ON_META_DATA = "onMetaData".getBytes(StandardCharsets.US_ASCII);
    private static final int AMF0_STRING = 2;

    private ScriptData() {
    }

    /** Whether the body starts with the AMF0 string "onMetaData". */
    static boolean isOnMetaData(ByteBuf body) {
        int at = body.readerIndex();
        if (body.readableBytes() < 3 + ON_META_DATA.length || body.getUnsignedByte(at) != AMF0_STRING
                || body.getUnsignedShort(at + 1) != ON_META_DATA.length) {
            return false;
        }
        for (int i = 0; i < ON_META_DATA.length; i++) {
            if (body.getByte(at + 3 + i) != ON_META_DATA[i]) {
                return false;
            }
        }
        return true;
    }

    /** {@code "@setDataFrame"} followed by {@code body}, which is released. */
    static ByteBuf withSetDataFrame(ByteBufAllocator alloc, ByteBuf body) {
        try {
            ByteBuf out = alloc.heapBuffer(16 + body.readableBytes());
            Amf0Writer.writeString(out, "@setDataFrame");
            return out.writeBytes(body, body.readerIndex(), body.readableBytes());
        } finally {
            body.release();
        }
    }
}
