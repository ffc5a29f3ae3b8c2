package io.meshlive.media.flv;

import io.netty.buffer.ByteBuf;

/**
 * Writes the FLV framing around tag bodies, for HTTP-FLV and recordings: the file header, then per
 * tag an 11-byte header, the body ({@link FlvTagBody#writeHeader} plus the frame payload) and the
 * PreviousTagSize trailer.
 */
public final class FlvWriter {
    private static final int MAX_DATA_SIZE = 0xFFFFFF;

    private FlvWriter() {
    }

    /** The 9-byte header and PreviousTagSize0, the first 13 bytes of every FLV stream. */
    public static void writeFileHeader(ByteBuf out, boolean audio, boolean video) {
        out.writeMedium('F' << 16 | 'L' << 8 | 'V');
        out.writeByte(1);
        out.writeByte((audio ? FlvHeader.FLAG_AUDIO : 0) | (video ? FlvHeader.FLAG_VIDEO : 0));
        out.writeInt(FlvHeader.LENGTH);
        out.writeInt(0);
    }

    /**
     * The 11-byte tag header. The timestamp is taken modulo 2^32 ms (49.7 days), like every FLV
     * writer does, and split into its low 24 bits and the extension byte.
     */
    public static void writeTagHeader(ByteBuf out, int type, int dataSize, long timestampMillis) {
        checkDataSize(dataSize);
        out.writeByte(type);
        out.writeMedium(dataSize);
        out.writeMedium((int) timestampMillis);
        out.writeByte((int) (timestampMillis >>> 24));
        out.writeMedium(0); // stream id
    }

    /** The PreviousTagSize trailer of a tag with a body of {@code dataSize} bytes. */
    public static void writeTagTrailer(ByteBuf out, int dataSize) {
        checkDataSize(dataSize);
        out.writeInt(FlvTag.HEADER_LENGTH + dataSize);
    }

    private static void checkDataSize(int dataSize) {
        if (dataSize < 0 || dataSize > MAX_DATA_SIZE) {
            throw new IllegalArgumentException("FLV tag data size " + dataSize + " outside 0.." + MAX_DATA_SIZE);
        }
    }
}
