package io.meshlive.hls;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * A text encoded once, with the places where each response inserts its own bytes: a playlist
 * built once per change and shared by every player, each response splicing its player's URI query
 * in. Writing a response is then one exact-size buffer and a few array copies, with no per-request
 * string building or re-encoding.
 */
final class SplicedText {
    /** The UTF-8 text with the markers taken out. */
    private final byte[] bytes;
    /** Where each marker was, as offsets into {@link #bytes}, ascending. */
    private final int[] at;

    private SplicedText(byte[] bytes, int[] at) {
        this.bytes = bytes;
        this.at = at;
    }

    /**
     * {@code text} split at each {@code marker}. The marker must be an ASCII character, so its byte
     * cannot occur inside the UTF-8 encoding of any other character.
     */
    static SplicedText of(String text, char marker) {
        if (marker > 0x7F) {
            throw new IllegalArgumentException("the marker must be ASCII");
        }
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        int markers = 0;
        for (byte b : raw) {
            if (b == marker) {
                markers++;
            }
        }
        byte[] bytes = new byte[raw.length - markers];
        int[] at = new int[markers];
        int n = 0;
        int m = 0;
        for (byte b : raw) {
            if (b == marker) {
                at[m++] = n;
            } else {
                bytes[n++] = b;
            }
        }
        return new SplicedText(bytes, at);
    }

    /** The length of the text with {@code insertLength} bytes at each marker. */
    int length(int insertLength) {
        return bytes.length + at.length * insertLength;
    }

    /** Appends the text to {@code out} with {@code insert} at each marker. */
    void writeTo(ByteBuf out, byte[] insert) {
        int from = 0;
        for (int to : at) {
            out.writeBytes(bytes, from, to - from);
            out.writeBytes(insert);
            from = to;
        }
        out.writeBytes(bytes, from, bytes.length - from);
    }
}
