package io.meshlive.media.fmp4;

import io.meshlive.media.MediaFormatException;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The {@code dOps} box of an {@code Opus} sample entry ("Encapsulation of Opus in ISO Base Media
 * File Format" 4.3.2). It holds the OpusHead fields (RFC 7845 5.1) without the magic, with
 * version 0 and big-endian numbers where OpusHead is little-endian.
 */
final class DOps {
    private static final String MAGIC = "OpusHead";
    private static final int MAGIC_LENGTH = 8;
    /** version, channels, pre-skip (2), input rate (4), output gain (2), mapping family. */
    private static final int FIXED = 11;

    private DOps() {
    }

    /**
     * {@code config} is an OpusHead, or already a dOps body (no magic), which is copied as it is.
     * The channel mapping table is byte-wide fields, the same in both.
     */
    static void write(ByteBuf config, ByteBuf out) {
        int box = Boxes.start(out, "dOps");
        int at = config.readerIndex();
        if (!isOpusHead(config)) {
            Boxes.copy(config, out);
            Boxes.end(out, box);
            return;
        }
        if (config.readableBytes() < MAGIC_LENGTH + FIXED) {
            throw new MediaFormatException("OpusHead of " + config.readableBytes() + " bytes, needs " + (MAGIC_LENGTH + FIXED));
        }
        int head = at + MAGIC_LENGTH;
        out.writeByte(0);
        out.writeByte(config.getUnsignedByte(head + 1));
        out.writeShort(config.getUnsignedShortLE(head + 2));
        out.writeInt(config.getIntLE(head + 4));
        out.writeShort(config.getShortLE(head + 8));
        out.writeBytes(config, head + 10, config.writerIndex() - (head + 10));
        Boxes.end(out, box);
    }

    private static boolean isOpusHead(ByteBuf config) {
        return config.readableBytes() >= MAGIC_LENGTH
                && config.toString(config.readerIndex(), MAGIC_LENGTH, StandardCharsets.US_ASCII).equals(MAGIC);
    }
}
