package io.meshlive.rtmp.amf;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import java.nio.charset.StandardCharsets;

/**
 * The buffer one read call chain consumes, with the checks every reader needs: each field is
 * bounds-checked before it is read, so a reader never touches bytes past the writer index and
 * reports truncation as an {@link AmfException} rather than an {@link IndexOutOfBoundsException}.
 *
 * <p>It also keeps the two limits that must hold for the value as if every reference were copied
 * in place, because that is what a caller walking, logging or re-encoding the result will do:
 * nesting depth, and the expanded size (one per value plus the characters of every string and
 * key). Without the second, a few hundred bytes of references that each point twice at the
 * previous value would expand to billions of values.
 */
final class AmfInput {
    /** Input without references expands to at most about its own length; this leaves room for honest sharing. */
    private static final long BASE_EXPANDED_SIZE = 1 << 20;
    private static final int EXPANSION_PER_BYTE = 16;

    private final ByteBuf buf;
    private final int start;
    private final long maxExpandedSize;
    private long expandedSize;
    private int depth;
    /** The deepest level reached inside the innermost open container (or at top level). */
    private int deepest;

    AmfInput(ByteBuf buf) {
        this.buf = buf;
        this.start = buf.readerIndex();
        this.maxExpandedSize = BASE_EXPANDED_SIZE + (long) EXPANSION_PER_BYTE * buf.readableBytes();
    }

    boolean isReadable() {
        return buf.isReadable();
    }

    int offset() {
        return buf.readerIndex();
    }

    /** A failed read leaves the reader index where the read call found it. */
    void rewind() {
        buf.readerIndex(start);
    }

    int readUnsignedByte(String what) {
        need(1, what);
        return buf.readUnsignedByte();
    }

    int peekUnsignedByte(String what) {
        need(1, what);
        return buf.getUnsignedByte(buf.readerIndex());
    }

    int readUnsignedShort(String what) {
        need(2, what);
        return buf.readUnsignedShort();
    }

    long readUnsignedInt(String what) {
        need(4, what);
        return buf.readUnsignedInt();
    }

    double readDouble(String what) {
        need(8, what);
        return buf.readDouble();
    }

    void skip(long length, String what) {
        need(length, what);
        buf.skipBytes((int) length);
    }

    /** Decodes leniently: invalid UTF-8 becomes U+FFFD, as Flash and librtmp peers would never notice. */
    String readUtf8(long length, String what) {
        need(length, what);
        String s = buf.toString(buf.readerIndex(), (int) length, StandardCharsets.UTF_8);
        buf.skipBytes((int) length);
        grow(s.length());
        return s;
    }

    byte[] readBytes(long length, String what) {
        need(length, what);
        byte[] bytes = new byte[(int) length];
        buf.readBytes(bytes);
        grow(bytes.length);
        return bytes;
    }

    /**
     * Rejects a count of items before anything is allocated for them: each item takes at least
     * one byte, so a count larger than what is left is a lie.
     */
    int checkCount(long count, String what, int offset) {
        if (count > buf.readableBytes()) {
            throw new AmfException(what + " count " + count + " exceeds the " + buf.readableBytes() + " bytes left", offset);
        }
        return (int) count;
    }

    /** Opens a container; pass the result to {@link #leave}. */
    int enter(int offset) {
        if (depth == Amf0Reader.MAX_DEPTH) {
            throw new AmfException("nested too deep (more than " + Amf0Reader.MAX_DEPTH + " levels)", offset);
        }
        int outerDeepest = deepest;
        deepest = ++depth;
        return outerDeepest;
    }

    /** Closes the innermost container and returns its height (1 when it holds no container). */
    int leave(int outerDeepest) {
        int height = deepest - depth + 1;
        deepest = Math.max(outerDeepest, deepest);
        depth--;
        return height;
    }

    /** Accounts for a reference to a finished value as if that value were copied here. */
    void reuse(long weight, int height, int offset) {
        if (depth + height > Amf0Reader.MAX_DEPTH) {
            throw new AmfException("nested too deep (more than " + Amf0Reader.MAX_DEPTH + " levels) through a reference", offset);
        }
        deepest = Math.max(deepest, depth + height);
        grow(weight);
    }

    long expandedSize() {
        return expandedSize;
    }

    void grow(long amount) {
        expandedSize += amount;
        if (expandedSize > maxExpandedSize) {
            throw new AmfException("references expand the value past " + maxExpandedSize + " values and characters", offset());
        }
    }

    private void need(long length, String what) {
        if (length > buf.readableBytes()) {
            throw new AmfException(what + " truncated: needs " + length + " bytes, " + buf.readableBytes() + " left", offset());
        }
    }

    /** Reads one value with a fresh reader over {@code buf}; on failure the reader index is restored. */
    static Object readOne(ByteBuf buf, Function<AmfInput, Supplier<Object>> reader) {
        AmfInput in = new AmfInput(buf);
        try {
            return reader.apply(in).get();
        } catch (AmfException e) {
            in.rewind();
            throw e;
        }
    }

    /** Reads values until {@code buf} is exhausted, with one reader (one reference scope) for them all. */
    static List<Object> readAll(ByteBuf buf, Function<AmfInput, Supplier<Object>> reader) {
        AmfInput in = new AmfInput(buf);
        Supplier<Object> next = reader.apply(in);
        List<Object> values = new ArrayList<>();
        try {
            while (in.isReadable()) {
                values.add(next.get());
            }
        } catch (AmfException e) {
            in.rewind();
            throw e;
        }
        return values;
    }
}
