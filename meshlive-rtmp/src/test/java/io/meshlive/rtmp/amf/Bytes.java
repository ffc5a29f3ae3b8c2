package io.meshlive.rtmp.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import static io.meshlive.testkit.Hex.hex;

/** Byte fixtures and buffer handling for the AMF tests; every buffer made here is released here. */
final class Bytes {
    private Bytes() {
    }

    /** Hex digits, with any whitespace between them for readability. */
    static byte[] concat(byte[]... parts) {
        ByteBuf buf = Unpooled.wrappedBuffer(parts);
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    static byte[] repeat(byte[] part, int times) {
        byte[][] parts = new byte[times][];
        Arrays.fill(parts, part);
        return concat(parts);
    }

    /** Runs {@code reader} over {@code bytes} and checks that it consumed exactly all of them. */
    static <T> T read(byte[] bytes, Function<ByteBuf, T> reader) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            T value = reader.apply(buf);
            if (buf.isReadable()) {
                throw new AssertionError(buf.readableBytes() + " bytes left unread");
            }
            return value;
        } finally {
            buf.release();
        }
    }

    static Object read0(byte[] bytes) {
        return read(bytes, Amf0Reader::read);
    }

    static Object read3(byte[] bytes) {
        return read(bytes, Amf3Reader::read);
    }

    /** The reader's maps are always {@code String}-keyed; this spares each assertion the cast. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object value) {
        return (List<Object>) value;
    }

    static byte[] written(Consumer<ByteBuf> writer) {
        ByteBuf buf = Unpooled.buffer();
        try {
            writer.accept(buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }
}
