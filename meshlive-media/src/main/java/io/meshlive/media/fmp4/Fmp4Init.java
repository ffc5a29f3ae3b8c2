package io.meshlive.media.fmp4;

import io.meshlive.media.VideoSize;
import io.meshlive.media.Frame;
import io.meshlive.media.TrackType;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The CMAF init segment (EXT-X-MAP): {@code ftyp} and a {@code moov} that describes the tracks
 * but holds no samples, since every sample travels in a fragment. Video is track 1 and audio
 * track 2 whichever are present, so fragments need no lookup to name them.
 */
public final class Fmp4Init {
    public static final int VIDEO_TRACK = 1;
    public static final int AUDIO_TRACK = 2;
    private static final String[] COMPATIBLE_BRANDS = {"iso6", "cmfc", "mp41", "dash"};
    /** The movie timescale only scales durations, and a live moov has none. */
    private static final int MOVIE_TIMESCALE = 1000;
    private static final int FIXED_ONE = 0x0001_0000;
    private static final int[] UNITY_MATRIX = {FIXED_ONE, 0, 0, 0, FIXED_ONE, 0, 0, 0, 0x4000_0000};
    /** ISO 639-2 "und" packed as three 5-bit letters offset by 0x60. */
    private static final int LANGUAGE_UNDETERMINED = ('u' - 0x60) << 10 | ('n' - 0x60) << 5 | ('d' - 0x60);
    private static final int TRACK_ENABLED_IN_MOVIE = 0x000003;
    private static final int URL_SELF_CONTAINED = 0x000001;
    private static final int VMHD_FLAGS = 0x000001;

    private Fmp4Init() {
    }

    /**
     * Writes the init segment for the tracks whose config frames are given; either may be null,
     * not both. The frames stay the caller's.
     */
    public static void write(Frame videoConfig, Frame audioConfig, ByteBuf out) {
        if (videoConfig == null && audioConfig == null) {
            throw new IllegalArgumentException("an init segment needs at least one track");
        }
        requireConfig(videoConfig, TrackType.VIDEO);
        requireConfig(audioConfig, TrackType.AUDIO);
        ftyp(out);
        int moov = Boxes.start(out, "moov");
        mvhd(out);
        if (videoConfig != null) {
            trak(videoConfig, VIDEO_TRACK, out);
        }
        if (audioConfig != null) {
            trak(audioConfig, AUDIO_TRACK, out);
        }
        int mvex = Boxes.start(out, "mvex");
        if (videoConfig != null) {
            trex(VIDEO_TRACK, Fmp4Fragment.NON_SYNC_SAMPLE, out);
        }
        if (audioConfig != null) {
            // Every audio frame is a sync sample, so audio runs leave per-sample flags to this default.
            trex(AUDIO_TRACK, Fmp4Fragment.SYNC_SAMPLE, out);
        }
        Boxes.end(out, mvex);
        Boxes.end(out, moov);
    }

    private static void requireConfig(Frame frame, TrackType track) {
        if (frame != null && (!frame.isConfig() || frame.track() != track)) {
            throw new IllegalArgumentException("expected a " + track + " config frame, got " + frame);
        }
    }

    static void ftyp(ByteBuf out) {
        int box = Boxes.start(out, "ftyp");
        Boxes.writeFourCc(out, "iso6");
        out.writeInt(0); // minor_version
        for (String brand : COMPATIBLE_BRANDS) {
            Boxes.writeFourCc(out, brand);
        }
        Boxes.end(out, box);
    }

    private static void mvhd(ByteBuf out) {
        int box = Boxes.startFull(out, "mvhd", 0, 0);
        out.writeInt(0); // creation_time
        out.writeInt(0); // modification_time
        out.writeInt(MOVIE_TIMESCALE);
        out.writeInt(0); // duration: unknown, the stream is live
        out.writeInt(FIXED_ONE); // rate 1.0
        out.writeShort(0x0100); // volume 1.0
        out.writeZero(10); // reserved
        matrix(out);
        out.writeZero(24); // pre_defined
        out.writeInt(AUDIO_TRACK + 1); // next_track_ID
        Boxes.end(out, box);
    }

    private static void trak(Frame config, int trackId, ByteBuf out) {
        boolean video = config.track() == TrackType.VIDEO;
        int trak = Boxes.start(out, "trak");
        tkhd(config, trackId, video, out);
        int mdia = Boxes.start(out, "mdia");
        mdhd(Timescale.of(config), out);
        hdlr(video ? "vide" : "soun", video ? "VideoHandler" : "SoundHandler", out);
        int minf = Boxes.start(out, "minf");
        if (video) {
            int vmhd = Boxes.startFull(out, "vmhd", 0, VMHD_FLAGS);
            out.writeZero(8); // graphicsmode copy, opcolor
            Boxes.end(out, vmhd);
        } else {
            int smhd = Boxes.startFull(out, "smhd", 0, 0);
            out.writeInt(0); // balance centred, reserved
            Boxes.end(out, smhd);
        }
        dinf(out);
        stbl(config, trackId, out);
        Boxes.end(out, minf);
        Boxes.end(out, mdia);
        Boxes.end(out, trak);
    }

    private static void tkhd(Frame config, int trackId, boolean video, ByteBuf out) {
        int box = Boxes.startFull(out, "tkhd", 0, TRACK_ENABLED_IN_MOVIE);
        out.writeInt(0); // creation_time
        out.writeInt(0); // modification_time
        out.writeInt(trackId);
        out.writeInt(0); // reserved
        out.writeInt(0); // duration
        out.writeZero(8); // reserved
        out.writeShort(0); // layer
        out.writeShort(0); // alternate_group
        out.writeShort(video ? 0 : 0x0100); // volume
        out.writeShort(0); // reserved
        matrix(out);
        // Presentation size, 16.16: the coded size for video (no sample aspect ratio handling yet), 0 for audio.
        VideoSize size = video ? VideoSize.of(config) : new VideoSize(0, 0);
        out.writeInt(size.width() << 16);
        out.writeInt(size.height() << 16);
        Boxes.end(out, box);
    }

    private static void mdhd(int timescale, ByteBuf out) {
        int box = Boxes.startFull(out, "mdhd", 0, 0);
        out.writeInt(0); // creation_time
        out.writeInt(0); // modification_time
        out.writeInt(timescale);
        out.writeInt(0); // duration
        out.writeShort(LANGUAGE_UNDETERMINED);
        out.writeShort(0); // pre_defined
        Boxes.end(out, box);
    }

    private static void hdlr(String handler, String name, ByteBuf out) {
        int box = Boxes.startFull(out, "hdlr", 0, 0);
        out.writeInt(0); // pre_defined
        Boxes.writeFourCc(out, handler);
        out.writeZero(12); // reserved
        out.writeCharSequence(name, StandardCharsets.UTF_8);
        out.writeByte(0);
        Boxes.end(out, box);
    }

    /** One data reference: "the media is in this file", which for fragments means in the moof's mdat. */
    private static void dinf(ByteBuf out) {
        int dinf = Boxes.start(out, "dinf");
        int dref = Boxes.startFull(out, "dref", 0, 0);
        out.writeInt(1); // entry_count
        Boxes.end(out, Boxes.startFull(out, "url ", 0, URL_SELF_CONTAINED));
        Boxes.end(out, dref);
        Boxes.end(out, dinf);
    }

    /** The sample description, and empty sample tables: the samples are all in fragments. */
    private static void stbl(Frame config, int trackId, ByteBuf out) {
        int stbl = Boxes.start(out, "stbl");
        int stsd = Boxes.startFull(out, "stsd", 0, 0);
        out.writeInt(1); // entry_count
        SampleEntry.write(config, trackId, out);
        Boxes.end(out, stsd);
        emptyTable("stts", out);
        emptyTable("stsc", out);
        int stsz = Boxes.startFull(out, "stsz", 0, 0);
        out.writeInt(0); // sample_size: sizes vary
        out.writeInt(0); // sample_count
        Boxes.end(out, stsz);
        emptyTable("stco", out);
        Boxes.end(out, stbl);
    }

    private static void emptyTable(String type, ByteBuf out) {
        int box = Boxes.startFull(out, type, 0, 0);
        out.writeInt(0); // entry_count
        Boxes.end(out, box);
    }

    private static void trex(int trackId, int defaultFlags, ByteBuf out) {
        int box = Boxes.startFull(out, "trex", 0, 0);
        out.writeInt(trackId);
        out.writeInt(1); // default_sample_description_index
        out.writeInt(0); // default_sample_duration: every trun gives its own
        out.writeInt(0); // default_sample_size: likewise
        out.writeInt(defaultFlags);
        Boxes.end(out, box);
    }

    private static void matrix(ByteBuf out) {
        for (int value : UNITY_MATRIX) {
            out.writeInt(value);
        }
    }
}
