package io.meshlive.media.cue;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * A cue as an ID3v2.4 tag (id3.org, ID3v2.4.0 structure and frames), the payload of HLS timed
 * metadata in MPEG-TS and of {@code emsg} boxes with the {@code https://aomedia.org/emsg/ID3}
 * scheme: one {@code TXXX} frame, UTF-8, description {@value #DESCRIPTION}, value the cue's JSON
 * ({@link CueJson}). Sizes are syncsafe and counted on the UTF-8 bytes, so text in any language
 * comes through whole.
 */
public final class CueId3 {
    public static final String DESCRIPTION = "meshlive.cue";
    private static final int HEADER = 10;
    private static final int TEXT_ENCODING_UTF8 = 3;

    private CueId3() {
    }

    /** The tag's bytes. */
    public static byte[] tag(Cue cue) {
        byte[] description = DESCRIPTION.getBytes(StandardCharsets.UTF_8);
        byte[] value = CueJson.of(cue).getBytes(StandardCharsets.UTF_8);
        int frameBody = 1 + description.length + 1 + value.length;
        int tagBody = HEADER + frameBody;
        byte[] out = new byte[HEADER + tagBody];
        int at = 0;
        out[at++] = 'I';
        out[at++] = 'D';
        out[at++] = '3';
        out[at++] = 4; // version 2.4.0
        out[at++] = 0;
        out[at++] = 0; // no unsynchronisation, extended header, experimental bit or footer
        at = syncsafe(out, at, tagBody);
        out[at++] = 'T';
        out[at++] = 'X';
        out[at++] = 'X';
        out[at++] = 'X';
        at = syncsafe(out, at, frameBody);
        out[at++] = 0; // frame flags
        out[at++] = 0;
        out[at++] = TEXT_ENCODING_UTF8;
        System.arraycopy(description, 0, out, at, description.length);
        at += description.length;
        out[at++] = 0; // the description's terminator
        System.arraycopy(value, 0, out, at, value.length);
        return out;
    }

    /** Writes the tag to {@code out}. */
    public static void write(Cue cue, ByteBuf out) {
        out.writeBytes(tag(cue));
    }

    /** A 28-bit size as four bytes of seven bits each; a cue is far below the 256 MB it allows. */
    private static int syncsafe(byte[] out, int at, int size) {
        if (size >= 1 << 28) {
            throw new IllegalArgumentException("ID3 size " + size + " does not fit 28 bits");
        }
        out[at] = (byte) (size >> 21 & 0x7F);
        out[at + 1] = (byte) (size >> 14 & 0x7F);
        out[at + 2] = (byte) (size >> 7 & 0x7F);
        out[at + 3] = (byte) (size & 0x7F);
        return at + 4;
    }
}
