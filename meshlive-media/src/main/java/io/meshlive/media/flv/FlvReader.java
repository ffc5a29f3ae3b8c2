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
        if (flv.getUnsignedMedium(at) != SIGNATURE) {
            throw new MediaFormatException("not an FLV file: no 'FLV' signature");
        }
        int flags = flv.getUnsignedByte(at + 4);
        long dataOffset = flv.getUnsignedInt(at + 5);
        if (dataOffset < FlvHeader.LENGTH || dataOffset > flv.readableBytes()) {
            throw new MediaFormatException("FLV header data offset " + dataOffset + " outside 9.." + flv.readableBytes());
        }
        header = new FlvHeader(flv.getUnsignedByte(at + 3), (flags & FlvHeader.FLAG_AUDIO) != 0,
                (flags & FlvHeader.FLAG_VIDEO) != 0, (int) dataOffset);
        position = at + (int) dataOffset;
        require(position, FlvTag.TRAILER_LENGTH, "FLV PreviousTagSize0");
        position += FlvTag.TRAILER_LENGTH;
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
            int first = flv.getUnsignedByte(position);
            int dataSize = flv.getUnsignedMedium(position + 1);
            // The extension byte holds bits 24..31 of the timestamp, in front of the low 24 bits.
            long timestamp = (long) flv.getUnsignedByte(position + 7) << 24 | flv.getUnsignedMedium(position + 4);
            int bodyAt = position + FlvTag.HEADER_LENGTH;
            require(bodyAt, dataSize + FlvTag.TRAILER_LENGTH, "FLV tag of " + dataSize + " bytes");
            // PreviousTagSize is not checked: writers get it wrong and the data size already frames the tag.
            position = bodyAt + dataSize + FlvTag.TRAILER_LENGTH;
            if ((first & FLAG_ENCRYPTED) != 0) {
                throw new UnsupportedCodecException("encrypted FLV tag");
            }
            int type = first & 0x1F;
            if (type == FlvTag.AUDIO || type == FlvTag.VIDEO || type == FlvTag.SCRIPT) {
                return new FlvTag(type, timestamp, flv.retainedSlice(bodyAt, dataSize));
            }
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
