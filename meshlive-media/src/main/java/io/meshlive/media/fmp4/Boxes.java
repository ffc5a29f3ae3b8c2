package io.meshlive.media.fmp4;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Writes ISO BMFF box headers. A box's size is only known once its children are written, so
 * {@link #start} leaves the size blank and {@link #end} fills it in, which lets the box writers
 * nest like the boxes do.
 */
final class Boxes {
    private Boxes() {
    }

    /** Writes a box header with a blank size; returns where the box starts, for {@link #end}. */
    static int start(ByteBuf out, String type) {
        int at = out.writerIndex();
        out.writeInt(0);
        writeFourCc(out, type);
        return at;
    }

    /** Writes a FullBox header (version and 24-bit flags) with a blank size. */
    static int startFull(ByteBuf out, String type, int version, int flags) {
        int at = start(out, type);
        out.writeInt(version << 24 | flags);
        return at;
    }

    /** Sets the size of the box started at {@code at} to span up to the writer index. */
    static void end(ByteBuf out, int at) {
        out.setInt(at, out.writerIndex() - at);
    }

    static void writeFourCc(ByteBuf out, String fourCc) {
        if (fourCc.length() != 4) {
            throw new IllegalArgumentException("not a four-character code: " + fourCc);
        }
        out.writeCharSequence(fourCc, StandardCharsets.US_ASCII);
    }

    /** Copies the readable bytes of {@code from} without moving its reader index. */
    static void copy(ByteBuf from, ByteBuf out) {
        out.writeBytes(from, from.readerIndex(), from.readableBytes());
    }
}
