package io.meshlive.media.fmp4;

import io.meshlive.media.cue.Cue;
import io.meshlive.media.cue.CueId3;
import io.meshlive.media.cue.Scte35Cue;
import io.netty.buffer.ByteBuf;

/**
 * A cue as a version-1 {@code emsg} box (ISO/IEC 23009-1 5.10.3.3), written before the {@code moof}
 * of the fragment holding its frame: presentation_time is the frame's presentation time on the
 * video timeline (90 kHz, as the fragments' decode times), where {@link Fmp4Fragment} placed it. An ordinary cue carries its ID3 tag under the AOM
 * scheme {@value #ID3_SCHEME} (which hls.js turns into timed metadata); an SCTE-35 cue carries
 * its splice_info_section under {@value #SCTE35_SCHEME}.
 */
public final class CueEmsg {
    public static final String ID3_SCHEME = "https://aomedia.org/emsg/ID3";
    public static final String SCTE35_SCHEME = "urn:scte:scte35:2013:bin";
    private static final long MAX_U32 = 0xFFFF_FFFFL;

    private CueEmsg() {
    }

    /** Writes {@code cue}'s box; {@code presentationTicks} is its frame's presentation time at 90 kHz. */
    public static void write(Cue cue, long presentationTicks, ByteBuf out) {
        byte[] splice = Scte35Cue.splice(cue);
        int box = Boxes.startFull(out, "emsg", 1, 0);
        out.writeInt(Timescale.VIDEO);
        out.writeLong(presentationTicks);
        out.writeInt((int) (cue.durationMillis() == 0 ? MAX_U32 // unknown
                : Math.min(MAX_U32 - 1, Timescale.ticks(cue.durationMillis() * 1000, Timescale.VIDEO))));
        out.writeInt((int) idNumber(cue));
        writeString(out, splice != null ? SCTE35_SCHEME : ID3_SCHEME);
        writeString(out, "");
        out.writeBytes(splice != null ? splice : CueId3.tag(cue));
        Boxes.end(out, box);
    }

    /** The emsg id: the cue's id when it is a number (API cues), else a hash of it. */
    private static long idNumber(Cue cue) {
        try {
            return Long.parseLong(cue.id()) & MAX_U32;
        } catch (NumberFormatException e) {
            return cue.id().hashCode() & MAX_U32;
        }
    }

    private static void writeString(ByteBuf out, String s) {
        out.writeCharSequence(s, java.nio.charset.StandardCharsets.UTF_8);
        out.writeByte(0);
    }
}
