package io.meshlive.transcode;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Opus in Ogg (RFC 7845), just enough to take ffmpeg's packets apart and to hand ours back to ffmpeg. */
record OggOpus(byte[] head, List<byte[]> packets) {
    private static final int PAGE_HEADER = 27;
    private static final int BEGINNING_OF_STREAM = 2;
    private static final int END_OF_STREAM = 4;
    private static final int SERIAL = 0x6d657368;

    /** The OpusHead and the audio packets of a single-stream Ogg Opus file; OpusTags is skipped. */
    static OggOpus parse(byte[] ogg) {
        ByteBuf in = Unpooled.wrappedBuffer(ogg).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> packets = new ArrayList<>();
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        while (in.isReadable()) {
            if (in.getInt(in.readerIndex()) != 0x5367674f) { // "OggS" read little-endian
                throw new IllegalArgumentException("no Ogg page at " + in.readerIndex());
            }
            int segments = in.getUnsignedByte(in.readerIndex() + 26);
            int lacingAt = in.readerIndex() + PAGE_HEADER;
            int dataAt = lacingAt + segments;
            for (int i = 0; i < segments; i++) {
                int lacing = in.getUnsignedByte(lacingAt + i);
                byte[] part = new byte[lacing];
                in.getBytes(dataAt, part);
                packet.writeBytes(part);
                dataAt += lacing;
                if (lacing < 255) {
                    packets.add(packet.toByteArray());
                    packet.reset();
                }
            }
            in.readerIndex(dataAt);
        }
        return new OggOpus(packets.get(0), packets.subList(2, packets.size()));
    }

    /** Ogg pages, one packet each, granule positions counting 48 kHz samples of {@code frameSamples} per packet. */
    byte[] write(int frameSamples) {
        ByteBuf out = Unpooled.buffer().order(ByteOrder.LITTLE_ENDIAN);
        byte[] vendor = "meshlive".getBytes(StandardCharsets.US_ASCII);
        ByteBuf tags = Unpooled.buffer().order(ByteOrder.LITTLE_ENDIAN);
        tags.writeBytes("OpusTags".getBytes(StandardCharsets.US_ASCII)).writeIntLE(vendor.length).writeBytes(vendor).writeIntLE(0);
        int sequence = 0;
        page(out, head, BEGINNING_OF_STREAM, 0, sequence++);
        page(out, toBytes(tags), 0, 0, sequence++);
        long granule = 0;
        for (int i = 0; i < packets.size(); i++) {
            granule += frameSamples;
            page(out, packets.get(i), i == packets.size() - 1 ? END_OF_STREAM : 0, granule, sequence++);
        }
        return toBytes(out);
    }

    private static void page(ByteBuf out, byte[] packet, int flags, long granule, int sequence) {
        int start = out.writerIndex();
        out.writeBytes("OggS".getBytes(StandardCharsets.US_ASCII)).writeByte(0).writeByte(flags)
                .writeLongLE(granule).writeIntLE(SERIAL).writeIntLE(sequence).writeIntLE(0);
        int fullSegments = packet.length / 255;
        out.writeByte(fullSegments + 1);
        for (int i = 0; i < fullSegments; i++) {
            out.writeByte(255);
        }
        out.writeByte(packet.length % 255);
        out.writeBytes(packet);
        out.setIntLE(start + 22, crc(out, start, out.writerIndex() - start));
    }

    /** CRC-32 with polynomial 0x04C11DB7, no reflection, initial value and final xor zero (RFC 3533 6). */
    private static int crc(ByteBuf buf, int from, int length) {
        int crc = 0;
        for (int i = from; i < from + length; i++) {
            crc ^= buf.getUnsignedByte(i) << 24;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x80000000) != 0 ? crc << 1 ^ 0x04C11DB7 : crc << 1;
            }
        }
        return crc;
    }

    private static byte[] toBytes(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }
}
