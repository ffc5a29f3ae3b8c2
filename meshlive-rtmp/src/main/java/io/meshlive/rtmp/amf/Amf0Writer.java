package io.meshlive.rtmp.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.meshlive.rtmp.amf.Amf0Reader.BOOLEAN;
import static io.meshlive.rtmp.amf.Amf0Reader.DATE;
import static io.meshlive.rtmp.amf.Amf0Reader.ECMA_ARRAY;
import static io.meshlive.rtmp.amf.Amf0Reader.LONG_STRING;
import static io.meshlive.rtmp.amf.Amf0Reader.MAX_DATE_MILLIS;
import static io.meshlive.rtmp.amf.Amf0Reader.MAX_DEPTH;
import static io.meshlive.rtmp.amf.Amf0Reader.NULL;
import static io.meshlive.rtmp.amf.Amf0Reader.NUMBER;
import static io.meshlive.rtmp.amf.Amf0Reader.OBJECT;
import static io.meshlive.rtmp.amf.Amf0Reader.OBJECT_END;
import static io.meshlive.rtmp.amf.Amf0Reader.STRICT_ARRAY;
import static io.meshlive.rtmp.amf.Amf0Reader.STRING;
import static io.meshlive.rtmp.amf.Amf0Reader.UNDEFINED_MARKER;

/**
 * Writes AMF0 values at a buffer's writer index, growing it as needed. It never writes references,
 * so a value shared in the Java graph is written once per appearance.
 *
 * <p>Whatever it writes, {@link Amf0Reader} accepts, which is why it refuses what the reader
 * would reject: nesting deeper than {@link Amf0Reader#MAX_DEPTH} (this also stops a cyclic
 * map), dates outside ECMAScript's range, and property names over 65535 UTF-8 bytes. It throws
 * {@link IllegalArgumentException} for those and for a type it cannot write; the buffer then holds
 * a partial value after its old writer index, so build a message in its own buffer and drop it.
 */
public final class Amf0Writer {
    private static final int MAX_SHORT_LENGTH = 0xFFFF;
    private static final Instant FIRST_DATE = Instant.ofEpochMilli((long) -MAX_DATE_MILLIS);
    private static final Instant LAST_DATE = Instant.ofEpochMilli((long) MAX_DATE_MILLIS);

    private Amf0Writer() {
    }

    public static void writeNumber(ByteBuf out, double value) {
        out.writeByte(NUMBER).writeDouble(value);
    }

    public static void writeBoolean(ByteBuf out, boolean value) {
        out.writeByte(BOOLEAN).writeByte(value ? 1 : 0);
    }

    /** A string, or a long string ({@code 0x0C}) when its UTF-8 form is over 65535 bytes. */
    public static void writeString(ByteBuf out, String value) {
        int length = ByteBufUtil.utf8Bytes(value);
        if (length <= MAX_SHORT_LENGTH) {
            out.writeByte(STRING).writeShort(length);
        } else {
            out.writeByte(LONG_STRING).writeInt(length);
        }
        ByteBufUtil.reserveAndWriteUtf8(out, value, length);
    }

    public static void writeNull(ByteBuf out) {
        out.writeByte(NULL);
    }

    public static void writeUndefined(ByteBuf out) {
        out.writeByte(UNDEFINED_MARKER);
    }

    /** Milliseconds precision; the time zone field is written as 0, as Flash does. */
    public static void writeDate(ByteBuf out, Instant value) {
        if (value.isBefore(FIRST_DATE) || value.isAfter(LAST_DATE)) {
            throw new IllegalArgumentException("date " + value + " outside the AMF (ECMAScript) range");
        }
        out.writeByte(DATE).writeDouble(value.toEpochMilli()).writeShort(0);
    }

    /** An anonymous object: {@code 0x03}, the members in iteration order, {@code 00 00 09}. */
    public static void writeObject(ByteBuf out, Map<String, ?> members) {
        writeObject(out, members, 0);
    }

    /** An ECMA array ({@code 0x08}, count, members, {@code 00 00 09}), as {@code onMetaData} uses. */
    public static void writeEcmaArray(ByteBuf out, Map<String, ?> members) {
        out.writeByte(ECMA_ARRAY).writeInt(members.size());
        writeMembers(out, members, 1);
    }

    public static void writeStrictArray(ByteBuf out, List<?> values) {
        writeStrictArray(out, values, 0);
    }

    /**
     * Writes by Java type: {@link Number} as a number, {@link Boolean}, {@link String},
     * {@link Map} (String keys) as an anonymous object, {@link List} as a strict array,
     * {@link Instant} as a date, {@code null} as null, {@link Amf0Reader#UNDEFINED} as undefined.
     */
    public static void write(ByteBuf out, Object value) {
        write(out, value, 0);
    }

    /** Writes each value in turn, such as a command's name, transaction id and arguments. */
    public static void writeAll(ByteBuf out, Object... values) {
        for (Object value : values) {
            write(out, value, 0);
        }
    }

    private static void write(ByteBuf out, Object value, int depth) {
        if (value == null) {
            writeNull(out);
        } else if (value == Amf0Reader.UNDEFINED) {
            writeUndefined(out);
        } else if (value instanceof Number number) {
            writeNumber(out, number.doubleValue());
        } else if (value instanceof Boolean bool) {
            writeBoolean(out, bool);
        } else if (value instanceof String string) {
            writeString(out, string);
        } else if (value instanceof Map<?, ?> map) {
            writeObject(out, map, depth);
        } else if (value instanceof List<?> list) {
            writeStrictArray(out, list, depth);
        } else if (value instanceof Instant instant) {
            writeDate(out, instant);
        } else {
            throw new IllegalArgumentException("no AMF0 form for " + value.getClass().getName());
        }
    }

    private static void writeObject(ByteBuf out, Map<?, ?> members, int depth) {
        enter(depth);
        out.writeByte(OBJECT);
        writeMembers(out, members, depth + 1);
    }

    private static void writeStrictArray(ByteBuf out, List<?> values, int depth) {
        enter(depth);
        out.writeByte(STRICT_ARRAY).writeInt(values.size());
        for (Object value : values) {
            write(out, value, depth + 1);
        }
    }

    private static void writeMembers(ByteBuf out, Map<?, ?> members, int depth) {
        for (Map.Entry<?, ?> member : members.entrySet()) {
            if (!(member.getKey() instanceof String name)) {
                throw new IllegalArgumentException("AMF0 property name is not a String: " + member.getKey());
            }
            int length = ByteBufUtil.utf8Bytes(name);
            if (length > MAX_SHORT_LENGTH) {
                throw new IllegalArgumentException("AMF0 property name longer than 65535 UTF-8 bytes");
            }
            out.writeShort(length);
            ByteBufUtil.reserveAndWriteUtf8(out, name, length);
            write(out, member.getValue(), depth);
        }
        out.writeShort(0).writeByte(OBJECT_END);
    }

    /** {@code depth} is the number of containers around the one about to be written. */
    private static void enter(int depth) {
        if (depth == MAX_DEPTH) {
            throw new IllegalArgumentException("nested too deep (more than " + MAX_DEPTH + " levels)");
        }
    }
}
