package io.meshlive.media.flv;

import io.meshlive.media.MediaFormatException;
import io.meshlive.media.UnsupportedCodecException;
import io.netty.buffer.ByteBuf;

/**
 * Reads the tags of a complete FLV file or recording held in one buffer, for a file publisher
 * and for tests. The buffer stays the caller's and its indices do not move; each tag's body is a
 * retained slice of it, so the caller may release the buffer while tags are still in use. To loop
 * a file, make a new reader over the same buffer.
 */
public final class FlvReader {
    private static final int SIGNATURE = 'F' << 16 | 'L' << 8 | 'V';
    private static final int FLAG_ENCRYPTED = 0x20;

    private final ByteBuf flv;
    private final FlvHeader header;
    private int position;

    /** Reads the file header; throws {@link MediaFormatException} if there is none. */
    public FlvReader(ByteBuf flv) {
        this.flv = flv;
        int at = flv.readerIndex();
        require(at, FlvHeader.LENGTH, "FLV header");
        header = header(flv, at, flv.readableBytes());
        position = at + header.dataOffset();
        require(position, FlvTag.TRAILER_LENGTH, "FLV PreviousTagSize0");
        position += FlvTag.TRAILER_LENGTH;
    }

    /**
     * The header whose {@link FlvHeader#LENGTH} bytes start at {@code at} (the caller checked they
     * are there), with a data offset of at most {@code maxDataOffset}.
     */
    static FlvHeader header(ByteBuf flv, int at, int maxDataOffset) {
        if (flv.getUnsignedMedium(at) != SIGNATURE) {
            throw new MediaFormatException("not an FLV file: no 'FLV' signature");
        }
        int flags = flv.getUnsignedByte(at + 4);
        long dataOffset = flv.getUnsignedInt(at + 5);
        if (dataOffset < FlvHeader.LENGTH || dataOffset > maxDataOffset) {
            throw new MediaFormatException("FLV header data offset " + dataOffset + " outside 9.." + maxDataOffset);
        }
        return new FlvHeader(flv.getUnsignedByte(at + 3), (flags & FlvHeader.FLAG_AUDIO) != 0,
                (flags & FlvHeader.FLAG_VIDEO) != 0, (int) dataOffset);
    }

    public FlvHeader header() {
        return header;
    }

    /**
     * The next audio, video or script tag, or null at the end of the input; tags of other types
     * are skipped, as the spec reserves them. The caller releases the tag.
     */
    public FlvTag next() {
        while (position < flv.writerIndex()) {
            require(position, FlvTag.HEADER_LENGTH, "FLV tag header");
            int length = tagLength(flv, position);
            int dataSize = length - FlvTag.HEADER_LENGTH - FlvTag.TRAILER_LENGTH;
            require(position + FlvTag.HEADER_LENGTH, dataSize + FlvTag.TRAILER_LENGTH, "FLV tag of " + dataSize + " bytes");
            FlvTag tag = tag(flv, position);
            position += length;
            if (tag != null) {
                return tag;
            }
        }
        return null;
    }

    /** Bytes of the tag whose header starts at {@code at}, with its PreviousTagSize; the header is there. */
    static int tagLength(ByteBuf flv, int at) {
        return FlvTag.HEADER_LENGTH + flv.getUnsignedMedium(at + 1) + FlvTag.TRAILER_LENGTH;
    }

    /**
     * The whole tag at {@code at} (its {@link #tagLength} bytes are there), or null for a type the
     * spec reserves, which readers skip. Its body is a retained slice.
     */
    static FlvTag tag(ByteBuf flv, int at) {
        int first = flv.getUnsignedByte(at);
        int dataSize = flv.getUnsignedMedium(at + 1);
        // The extension byte holds bits 24..31 of the timestamp, in front of the low 24 bits.
        long timestamp = (long) flv.getUnsignedByte(at + 7) << 24 | flv.getUnsignedMedium(at + 4);
        // PreviousTagSize is not checked: writers get it wrong and the data size already frames the tag.
        if ((first & FLAG_ENCRYPTED) != 0) {
            throw new UnsupportedCodecException("encrypted FLV tag");
        }
        int type = first & 0x1F;
        if (type == FlvTag.AUDIO || type == FlvTag.VIDEO || type == FlvTag.SCRIPT) {
            return new FlvTag(type, timestamp, flv.retainedSlice(at + FlvTag.HEADER_LENGTH, dataSize));
        }
        return null;
    }

    private void require(int at, int length, String what) {
        int available = flv.writerIndex() - at;
        if (available < length) {
            throw new MediaFormatException(what + " truncated: " + available + " of " + length + " bytes");
        }
    }
}
