package io.meshlive.rtmp.amf;

import io.netty.buffer.ByteBuf;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads AMF3 values into plain Java values; see the package documentation for the mapping.
 * RTMP peers send AMF3 inside AMF0, after the {@code 0x11} marker, which {@link Amf0Reader}
 * hands to this class; the static methods are for bare AMF3 bytes.
 *
 * <p>Same contract as {@link Amf0Reader}: bounded by the readable bytes, depth and expanded size;
 * the buffer is neither retained nor released; a failure throws {@link AmfException} and leaves
 * the reader index where it was. The string, object and traits tables span one call.
 *
 * <p>Not supported, because RTMP clients do not send them in commands or metadata:
 * externalizable objects, vectors and dictionaries.
 */
public final class Amf3Reader {
    private static final int UNDEFINED = 0x00;
    private static final int NULL = 0x01;
    private static final int FALSE = 0x02;
    private static final int TRUE = 0x03;
    private static final int INTEGER = 0x04;
    private static final int DOUBLE = 0x05;
    private static final int STRING = 0x06;
    private static final int XML_DOCUMENT = 0x07;
    private static final int DATE = 0x08;
    private static final int ARRAY = 0x09;
    private static final int OBJECT = 0x0A;
    private static final int XML = 0x0B;
    private static final int BYTE_ARRAY = 0x0C;
    private static final int VECTOR_INT = 0x0D;
    private static final int DICTIONARY = 0x11;

    private final AmfInput in;
    private final List<String> strings = new ArrayList<>();
    private final RefTable objects = new RefTable();
    private final List<Traits> traits = new ArrayList<>();

    Amf3Reader(AmfInput in) {
        this.in = in;
    }

    /** Reads one value. */
    public static Object read(ByteBuf buf) {
        return AmfInput.readOne(buf, in -> new Amf3Reader(in)::readValue);
    }

    /** Reads values until the buffer has no readable bytes left; the reference tables span them all. */
    public static List<Object> readAll(ByteBuf buf) {
        return AmfInput.readAll(buf, in -> new Amf3Reader(in)::readValue);
    }

    Object readValue() {
        int at = in.offset();
        int marker = in.readUnsignedByte("AMF3 marker");
        in.grow(1);
        return switch (marker) {
            case UNDEFINED -> Amf0Reader.UNDEFINED;
            case NULL -> null;
            case FALSE -> Boolean.FALSE;
            case TRUE -> Boolean.TRUE;
            // Shifting the 29 bits to the top and back sign-extends them.
            case INTEGER -> (double) (readU29("integer") << 3 >> 3);
            case DOUBLE -> in.readDouble("double");
            case STRING -> readString();
            case XML_DOCUMENT, XML -> readXml(at);
            case DATE -> readDate(at);
            case ARRAY -> readArray(at);
            case OBJECT -> readObject(at);
            case BYTE_ARRAY -> readByteArray(at);
            default -> throw new AmfException((marker >= VECTOR_INT && marker <= DICTIONARY ? "unsupported" : "unknown")
                    + " AMF3 marker 0x" + Integer.toHexString(marker), at);
        };
    }

    /**
     * A U29: 1 to 4 bytes, 7 bits from each of the first three while their high bit is set, then
     * all 8 bits of a fourth.
     */
    private int readU29(String what) {
        int value = 0;
        for (int i = 0; i < 3; i++) {
            int b = in.readUnsignedByte(what);
            value = value << 7 | b & 0x7F;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        return value << 8 | in.readUnsignedByte(what);
    }

    /** UTF-8-vr: a string table reference, or an inline string that joins the table unless empty. */
    private String readString() {
        int at = in.offset();
        int header = readU29("string header");
        if ((header & 1) == 0) {
            int index = header >>> 1;
            if (index >= strings.size()) {
                throw new AmfException("string reference " + index + " out of range (" + strings.size() + " strings so far)", at);
            }
            String s = strings.get(index);
            in.grow(s.length());
            return s;
        }
        String s = in.readUtf8(header >>> 1, "string");
        if (!s.isEmpty()) {
            strings.add(s);
        }
        return s;
    }

    private Object readXml(int at) {
        int header = readU29("XML header");
        if ((header & 1) == 0) {
            return objects.resolve(header >>> 1, in, at);
        }
        String xml = in.readUtf8(header >>> 1, "XML");
        objects.add(xml, 1 + xml.length());
        return xml;
    }

    private Object readDate(int at) {
        int header = readU29("date header");
        if ((header & 1) == 0) {
            return objects.resolve(header >>> 1, in, at);
        }
        Instant date = Amf0Reader.toInstant(in.readDouble("date"), at);
        objects.add(date, 1);
        return date;
    }

    private Object readByteArray(int at) {
        int header = readU29("byte array header");
        if ((header & 1) == 0) {
            return objects.resolve(header >>> 1, in, at);
        }
        byte[] bytes = in.readBytes(header >>> 1, "byte array");
        objects.add(bytes, 1 + bytes.length);
        return bytes;
    }

    /**
     * An array with only a dense part reads as a list. One with an associative part reads as a
     * map holding the associative pairs and then the dense values under their decimal indices,
     * which is how ActionScript itself sees such an array.
     */
    private Object readArray(int at) {
        int header = readU29("array header");
        if ((header & 1) == 0) {
            return objects.resolve(header >>> 1, in, at);
        }
        int ref = objects.open(in, at);
        Map<String, Object> associative = null;
        for (String key = readString(); !key.isEmpty(); key = readString()) {
            if (associative == null) {
                associative = new LinkedHashMap<>();
            }
            associative.put(key, readValue());
        }
        int dense = in.checkCount(header >>> 1, "array", at);
        if (associative == null) {
            List<Object> values = new ArrayList<>(dense);
            for (int i = 0; i < dense; i++) {
                values.add(readValue());
            }
            return objects.close(ref, values, in);
        }
        for (int i = 0; i < dense; i++) {
            associative.put(Integer.toString(i), readValue());
        }
        return objects.close(ref, associative, in);
    }

    private Object readObject(int at) {
        int header = readU29("object header");
        if ((header & 1) == 0) {
            return objects.resolve(header >>> 1, in, at);
        }
        int ref = objects.open(in, at);
        Traits type = readTraits(header, at);
        Map<String, Object> members = new LinkedHashMap<>();
        in.grow(type.nameLengths);
        for (String name : type.sealedNames) {
            members.put(name, readValue());
        }
        if (type.dynamic) {
            for (String name = readString(); !name.isEmpty(); name = readString()) {
                members.put(name, readValue());
            }
        }
        return objects.close(ref, members, in);
    }

    private Traits readTraits(int header, int at) {
        if ((header & 2) == 0) {
            int index = header >>> 2;
            if (index >= traits.size()) {
                throw new AmfException("traits reference " + index + " out of range (" + traits.size() + " traits so far)", at);
            }
            return traits.get(index);
        }
        if ((header & 4) != 0) {
            throw new AmfException("unsupported externalizable object of class " + io.meshlive.core.ClientText.quote(readString()), at);
        }
        readString(); // the class name: typed objects read as plain maps, but the name still joins the string table
        String[] sealedNames = new String[in.checkCount(header >>> 4, "sealed member", at)];
        long nameLengths = 0;
        for (int i = 0; i < sealedNames.length; i++) {
            sealedNames[i] = readString();
            nameLengths += sealedNames[i].length();
        }
        Traits type = new Traits(sealedNames, (header & 8) != 0, nameLengths);
        traits.add(type);
        return type;
    }

    /** A class description; {@code nameLengths} is charged to every object that uses it. */
    private record Traits(String[] sealedNames, boolean dynamic, long nameLengths) {
    }
}
