package io.meshlive.media.flv;

/**
 * The FLV file header (FLV 10.1 annex E.2). {@code dataOffset} is where the first
 * PreviousTagSize starts, 9 unless a writer added its own bytes after the header.
 */
public record FlvHeader(int version, boolean hasAudio, boolean hasVideo, int dataOffset) {
    /** Bytes in the header as written: signature, version, flags and data offset. */
    public static final int LENGTH = 9;
    static final int FLAG_AUDIO = 0x04;
    static final int FLAG_VIDEO = 0x01;
}
