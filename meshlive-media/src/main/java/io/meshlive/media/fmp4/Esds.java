package io.meshlive.media.fmp4;

import io.netty.buffer.ByteBuf;

/**
 * The {@code esds} box of an {@code mp4a} sample entry (ISO/IEC 14496-14 5.6): an ES_Descriptor
 * holding a DecoderConfigDescriptor for MPEG-4 audio whose DecoderSpecificInfo is the
 * AudioSpecificConfig, and the SLConfigDescriptor that MP4 files always use.
 */
final class Esds {
    private static final int ES_DESCRIPTOR = 0x03;
    private static final int DECODER_CONFIG_DESCRIPTOR = 0x04;
    private static final int DECODER_SPECIFIC_INFO = 0x05;
    private static final int SL_CONFIG_DESCRIPTOR = 0x06;
    private static final int OBJECT_TYPE_MPEG4_AUDIO = 0x40;
    /** streamType 5 (audio) in the top six bits, upStream 0, reserved 1. */
    private static final int STREAM_TYPE_AUDIO = 0x05 << 2 | 1;
    /** predefined = 2: the SL header fields MP4 files use (14496-14 3.1.2). */
    private static final int SL_PREDEFINED_MP4 = 0x02;
    /** objectTypeIndication, streamType, bufferSizeDB (3), maxBitrate (4), avgBitrate (4). */
    private static final int DECODER_CONFIG_FIXED = 13;
    /** ES_ID (2) and the flags byte with no dependency, URL or OCR stream. */
    private static final int ES_FIXED = 3;

    private Esds() {
    }

    static void write(ByteBuf asc, int esId, ByteBuf out) {
        int ascLength = asc.readableBytes();
        int specificInfo = descriptorSize(ascLength);
        int decoderConfig = descriptorSize(DECODER_CONFIG_FIXED + specificInfo);
        int slConfig = descriptorSize(1);
        int box = Boxes.startFull(out, "esds", 0, 0);
        writeHeader(out, ES_DESCRIPTOR, ES_FIXED + decoderConfig + slConfig);
        out.writeShort(esId);
        out.writeByte(0);
        writeHeader(out, DECODER_CONFIG_DESCRIPTOR, DECODER_CONFIG_FIXED + specificInfo);
        out.writeByte(OBJECT_TYPE_MPEG4_AUDIO);
        out.writeByte(STREAM_TYPE_AUDIO);
        // Buffer size and bit rates are advisory; zero (unknown, variable) is what a live source can honestly say.
        out.writeMedium(0);
        out.writeInt(0);
        out.writeInt(0);
        writeHeader(out, DECODER_SPECIFIC_INFO, ascLength);
        Boxes.copy(asc, out);
        writeHeader(out, SL_CONFIG_DESCRIPTOR, 1);
        out.writeByte(SL_PREDEFINED_MP4);
        Boxes.end(out, box);
    }

    /** The size of a descriptor, header included, whose body is {@code bodyLength} bytes. */
    private static int descriptorSize(int bodyLength) {
        return 1 + lengthBytes(bodyLength) + bodyLength;
    }

    /** sizeOfInstance is 7 bits per byte, high groups first, with the top bit set on all but the last. */
    private static void writeHeader(ByteBuf out, int tag, int bodyLength) {
        out.writeByte(tag);
        for (int shift = 7 * (lengthBytes(bodyLength) - 1); shift > 0; shift -= 7) {
            out.writeByte(0x80 | bodyLength >>> shift & 0x7F);
        }
        out.writeByte(bodyLength & 0x7F);
    }

    private static int lengthBytes(int bodyLength) {
        int bytes = 1;
        while (bodyLength >>> 7 * bytes != 0) {
            bytes++;
        }
        return bytes;
    }
}
