package io.meshlive.rtmp.amf;

import io.netty.buffer.ByteBuf;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads AMF0 values (RTMP command messages, type 20, and data messages, type 18) into plain Java
 * values; see the package documentation for the mapping.
 *
 * <p>The reader never reads past the writer index and does not retain or release the buffer. A
 * successful call leaves the reader index after the values it read; a failed one throws
 * {@link AmfException} and leaves the reader index where it was.
 *
 * <p>One call is one reference scope: {@code 0x07} references, and the AMF3 reference tables of
 * every {@code 0x11} switch, resolve against the values read earlier in the same call, so a
 * {@link #readAll} of a message body shares them across the message's values.
 */
public final class Amf0Reader {
    /** Containers nest at most this deep, references counted as copies. */
    public static final int MAX_DEPTH = 32;

    /**
     * What AMF {@code undefined} (AMF0 {@code 0x06}, AMF3 {@code 0x00}) and AMF0 {@code unsupported}
     * ({@code 0x0D}) read as, distinct from {@code null}. {@link Amf0Writer} writes it back as
     * {@code undefined}.
     */
    public static final Object UNDEFINED = new Object() {
        @Override
        public String toString() {
            return "undefined";
        }
    };

    static final int NUMBER = 0x00;
    static final int BOOLEAN = 0x01;
    static final int STRING = 0x02;
    static final int OBJECT = 0x03;
    static final int NULL = 0x05;
    static final int UNDEFINED_MARKER = 0x06;
    static final int REFERENCE = 0x07;
    static final int ECMA_ARRAY = 0x08;
    static final int OBJECT_END = 0x09;
    static final int STRICT_ARRAY = 0x0A;
    static final int DATE = 0x0B;
    static final int LONG_STRING = 0x0C;
    static final int UNSUPPORTED = 0x0D;
    static final int XML_DOCUMENT = 0x0F;
    static final int TYPED_OBJECT = 0x10;
    static final int AVMPLUS = 0x11;

    /** ECMAScript's Date range, so that every date read is a valid {@link Instant} and writes back. */
    static final double MAX_DATE_MILLIS = 8.64e15;

    private final AmfInput in;
    private final RefTable objects = new RefTable();
    private Amf3Reader amf3;

    private Amf0Reader(AmfInput in) {
        this.in = in;
    }

    /** Reads one value. */
    public static Object read(ByteBuf buf) {
        return AmfInput.readOne(buf, in -> new Amf0Reader(in)::readValue);
    }

    /** Reads values until the buffer has no readable bytes left, such as all of a command message's body. */
    public static List<Object> readAll(ByteBuf buf) {
        return AmfInput.readAll(buf, in -> new Amf0Reader(in)::readValue);
    }

    private Object readValue() {
        int at = in.offset();
        int marker = in.readUnsignedByte("AMF0 marker");
        in.grow(1);
        return switch (marker) {
            case NUMBER -> in.readDouble("number");
            case BOOLEAN -> in.readUnsignedByte("boolean") != 0;
            case STRING -> in.readUtf8(in.readUnsignedShort("string length"), "string");
            case OBJECT -> readMembers(at);
            case NULL -> null;
            case UNDEFINED_MARKER, UNSUPPORTED -> UNDEFINED;
            case REFERENCE -> objects.resolve(in.readUnsignedShort("reference"), in, at);
            case ECMA_ARRAY -> {
                // The count is only a hint, and encoders get it wrong; the end marker is what counts.
                in.skip(4, "ECMA array count");
                yield readMembers(at);
            }
            case STRICT_ARRAY -> readStrictArray(at);
            case DATE -> readDate(at);
            case LONG_STRING -> in.readUtf8(in.readUnsignedInt("long string length"), "long string");
            case XML_DOCUMENT -> in.readUtf8(in.readUnsignedInt("XML document length"), "XML document");
            case TYPED_OBJECT -> {
                in.skip(in.readUnsignedShort("class name length"), "class name");
                yield readMembers(at);
            }
            case AVMPLUS -> amf3().readValue();
            default -> throw new AmfException("unknown or unsupported AMF0 marker 0x" + Integer.toHexString(marker), at);
        };
    }

    /** Object, ECMA array and typed object members: name/value pairs up to an empty name and the end marker. */
    private Map<String, Object> readMembers(int at) {
        int ref = objects.open(in, at);
        Map<String, Object> members = new LinkedHashMap<>();
        while (true) {
            int nameLength = in.readUnsignedShort("property name length");
            if (nameLength == 0 && in.peekUnsignedByte("object end") == OBJECT_END) {
                in.skip(1, "object end");
                return objects.close(ref, members, in);
            }
            String name = in.readUtf8(nameLength, "property name");
            members.put(name, readValue());
        }
    }

    private List<Object> readStrictArray(int at) {
        int count = in.checkCount(in.readUnsignedInt("strict array count"), "strict array", at);
        int ref = objects.open(in, at);
        List<Object> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(readValue());
        }
        return objects.close(ref, values, in);
    }

    private Instant readDate(int at) {
        double millis = in.readDouble("date");
        in.skip(2, "date time zone"); // reserved, always 0, and Flash ignores it
        return toInstant(millis, at);
    }

    static Instant toInstant(double millis, int at) {
        if (!(Math.abs(millis) <= MAX_DATE_MILLIS)) {
            throw new AmfException("date " + millis + " out of range", at);
        }
        return Instant.ofEpochMilli((long) millis);
    }

    private Amf3Reader amf3() {
        if (amf3 == null) {
            amf3 = new Amf3Reader(in);
        }
        return amf3;
    }
}
