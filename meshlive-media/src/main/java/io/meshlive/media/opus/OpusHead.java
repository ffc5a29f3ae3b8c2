package io.meshlive.media.opus;

import io.netty.buffer.ByteBuf;

/**
 * The Opus identification header (RFC 7845 §5.1), the payload of an Opus config frame: what
 * FLV, fMP4 (dOps) and every decoder need to know about the stream.
 */
public final class OpusHead {
    /** The encoder delay libopus reports at 48 kHz, and what WebRTC senders use. */
    public static final int DEFAULT_PRE_SKIP = 312;

    private OpusHead() {
    }

    /** Writes a mapping-family-0 header (mono or stereo). Multi-byte fields are little-endian. */
    public static void write(int channels, int preSkip, int inputSampleRate, ByteBuf out) {
        if (channels < 1 || channels > 2) {
            throw new IllegalArgumentException("mapping family 0 carries 1 or 2 channels, not " + channels);
        }
        out.writeCharSequence("OpusHead", java.nio.charset.StandardCharsets.US_ASCII);
        out.writeByte(1);
        out.writeByte(channels);
        out.writeShortLE(preSkip);
        out.writeIntLE(inputSampleRate);
        out.writeShortLE(0); // output gain
        out.writeByte(0);    // channel mapping family
    }
}
