package io.meshlive.media.flv;

import io.meshlive.media.MediaFormatException;
import io.netty.buffer.ByteBuf;

/**
 * Reads FLV as it arrives in pieces (an HTTP-FLV response body): the file header once, then whole
 * tags, each as soon as all its bytes are there. Same parsing as {@link FlvReader}; the difference
 * is that a tag not yet complete is waited for, not an error.
 *
 * <p>The caller keeps the bytes in one buffer (a cumulation) and calls {@link #next} until it
 * returns null; consumed bytes are behind the buffer's reader index. A tag's body is a retained
 * slice, so the caller may discard read bytes while tags are in use. A tag's size is at most
 * 16 MiB + 15 bytes (its 24-bit length), which bounds what the caller ever holds.
 */
public final class FlvStreamReader {
    /** A header announcing more bytes of its own than this is not FLV anyone writes (9 in practice). */
    static final int MAX_DATA_OFFSET = 64 * 1024;

    private FlvHeader header;

    /** The file header, once read; null before. */
    public FlvHeader header() {
        return header;
    }

    /**
     * The next whole audio, video or script tag in {@code in}, consuming it, or null when more bytes
     * are needed. Bytes that are not FLV throw {@link MediaFormatException}. The caller releases the tag.
     */
    public FlvTag next(ByteBuf in) {
        if (header == null && !readHeader(in)) {
            return null;
        }
        while (in.readableBytes() >= FlvTag.HEADER_LENGTH) {
            int at = in.readerIndex();
            int length = FlvReader.tagLength(in, at);
            if (in.readableBytes() < length) {
                return null;
            }
            FlvTag tag = FlvReader.tag(in, at);
            in.skipBytes(length);
            if (tag != null) {
                return tag;
            }
        }
        return null;
    }

    private boolean readHeader(ByteBuf in) {
        if (in.readableBytes() < FlvHeader.LENGTH) {
            return false;
        }
        FlvHeader h = FlvReader.header(in, in.readerIndex(), MAX_DATA_OFFSET);
        if (in.readableBytes() < h.dataOffset() + FlvTag.TRAILER_LENGTH) {
            return false;
        }
        in.skipBytes(h.dataOffset() + FlvTag.TRAILER_LENGTH);
        header = h;
        return true;
    }
}
