package io.meshlive.media.fmp4;

import io.meshlive.media.Frame;
import io.meshlive.media.NtpTime;
import io.meshlive.media.cue.Cue;
import io.netty.buffer.ByteBuf;

import java.util.List;

/**
 * One CMAF chunk: an {@code emsg} per cue on its frames ({@link CueEmsg}), a {@code prft}, then
 * {@code moof} with a {@code traf} per track that has frames, then one {@code mdat} with the video
 * samples followed by the audio samples. Built once per
 * part and shared by every viewer, so copying the payloads into it once is the cheap way.
 */
public final class Fmp4Fragment {
    /** sample_depends_on = 2: an I-frame, decodable alone (ISO/IEC 14496-12 8.8.3.1). */
    static final int SYNC_SAMPLE = 0x0200_0000;
    /** sample_depends_on = 1 and sample_is_non_sync_sample. */
    static final int NON_SYNC_SAMPLE = 0x0101_0000;
    private static final int DEFAULT_BASE_IS_MOOF = 0x02_0000;
    private static final int DATA_OFFSET = 0x000001;
    private static final int SAMPLE_DURATION = 0x000100;
    private static final int SAMPLE_SIZE = 0x000200;
    private static final int SAMPLE_FLAGS = 0x000400;
    private static final int SAMPLE_COMPOSITION_OFFSET = 0x000800;
    /** Video needs per-sample flags (key or not) and composition offsets (B-frames). */
    private static final int VIDEO_RUN = DATA_OFFSET | SAMPLE_DURATION | SAMPLE_SIZE | SAMPLE_FLAGS | SAMPLE_COMPOSITION_OFFSET;
    /** Audio samples are all sync samples (trex default) and have pts = dts. */
    private static final int AUDIO_RUN = DATA_OFFSET | SAMPLE_DURATION | SAMPLE_SIZE;
    /** prft flags 0: the time is when the input reached the packager, here the node's arrival time. */
    private static final int PRFT_INPUT_TIME = 0;
    private static final int BOX_HEADER = 8;

    private Fmp4Fragment() {
    }

    /** An end dts that says "no later frame is known": the last sample lasts one frame duration. */
    public static final long ONE_FRAME_ON = Long.MIN_VALUE;

    /**
     * Writes one fragment. {@code video} and {@code audio} are consecutive media frames of each
     * track in decode order, either list may be empty but not both; each track's {@link SampleClock}
     * (kept by the caller across fragments) places them on its exact timeline. The end dts of a
     * track is the dts of the frame that will follow the run, which gives the last sample its
     * duration, or {@link #ONE_FRAME_ON}. Each of {@code cues} is presented with the video frame
     * of its pts, at the time the clock gave that frame. Frames stay the caller's.
     */
    public static void write(int sequence, List<Frame> video, long videoEndDts, SampleClock videoClock,
                             List<Frame> audio, long audioEndDts, SampleClock audioClock, List<Cue> cues, ByteBuf out) {
        if (video.isEmpty() && audio.isEmpty()) {
            throw new IllegalArgumentException("a fragment needs at least one frame");
        }
        long[] videoTicks = video.isEmpty() ? null : place(video, videoEndDts, videoClock);
        long[] audioTicks = audio.isEmpty() ? null : place(audio, audioEndDts, audioClock);
        for (Cue cue : cues) {
            CueEmsg.write(cue, presentationTicks(cue.ptsMicros(), video, videoTicks, videoClock), out);
        }
        if (video.isEmpty()) {
            prft(Fmp4Init.AUDIO_TRACK, audio.get(0), audioTicks[0], out);
        } else {
            prft(Fmp4Init.VIDEO_TRACK, video.get(0), videoTicks[0], out);
        }

        int moof = Boxes.start(out, "moof");
        int mfhd = Boxes.startFull(out, "mfhd", 0, 0);
        out.writeInt(sequence);
        Boxes.end(out, mfhd);
        int videoOffsetAt = video.isEmpty() ? -1 : traf(Fmp4Init.VIDEO_TRACK, video, videoTicks, videoClock, VIDEO_RUN, out);
        int audioOffsetAt = audio.isEmpty() ? -1 : traf(Fmp4Init.AUDIO_TRACK, audio, audioTicks, audioClock, AUDIO_RUN, out);
        Boxes.end(out, moof);

        // Data offsets count from the start of the moof (default-base-is-moof), so they are known
        // only now that its size is: past the moof and the mdat header, then past the video samples.
        int videoData = out.writerIndex() - moof + BOX_HEADER;
        if (videoOffsetAt >= 0) {
            out.setInt(videoOffsetAt, videoData);
        }
        if (audioOffsetAt >= 0) {
            out.setInt(audioOffsetAt, videoData + payloadBytes(video));
        }
        int mdat = Boxes.start(out, "mdat");
        copyPayloads(video, out);
        copyPayloads(audio, out);
        Boxes.end(out, mdat);
    }

    /** The decode time of each frame on the track's clock, then where the last one ends. */
    private static long[] place(List<Frame> frames, long endDts, SampleClock clock) {
        long[] ticks = new long[frames.size() + 1];
        for (int i = 0; i < frames.size(); i++) {
            ticks[i] = clock.place(frames.get(i).dts());
        }
        ticks[frames.size()] = clock.end(endDts);
        return ticks;
    }

    /**
     * Where the video frame presented at {@code ptsMicros} sits on the track's timeline: its placed
     * decode time plus its composition offset, as the trun says. A cue whose frame is not in this
     * fragment (none is, only audio) falls back to its own time, at most a millisecond off the grid.
     */
    private static long presentationTicks(long ptsMicros, List<Frame> video, long[] ticks, SampleClock clock) {
        for (int i = 0; i < video.size(); i++) {
            Frame frame = video.get(i);
            if (frame.pts() == ptsMicros) {
                return ticks[i] + clock.compositionOffset(frame.pts() - frame.dts());
            }
        }
        return Timescale.ticks(ptsMicros, Timescale.VIDEO);
    }

    /** Producer reference time (8.16.5): when the run's first frame reached this node, and its media time. */
    private static void prft(int trackId, Frame first, long firstTicks, ByteBuf out) {
        int box = Boxes.startFull(out, "prft", 1, PRFT_INPUT_TIME);
        out.writeInt(trackId);
        out.writeLong(NtpTime.ofNanoTime(first.arrivalNanos()));
        out.writeLong(firstTicks);
        Boxes.end(out, box);
    }

    /** Writes a traf and returns where its trun's data offset goes, to be filled in once known. */
    private static int traf(int trackId, List<Frame> frames, long[] ticks, SampleClock clock, int runFlags, ByteBuf out) {
        int traf = Boxes.start(out, "traf");
        int tfhd = Boxes.startFull(out, "tfhd", 0, DEFAULT_BASE_IS_MOOF);
        out.writeInt(trackId);
        Boxes.end(out, tfhd);

        int tfdt = Boxes.startFull(out, "tfdt", 1, 0);
        out.writeLong(ticks[0]);
        Boxes.end(out, tfdt);

        // Version 1: signed composition offsets, so a B-frame run needs no edit list to start at 0.
        int trun = Boxes.startFull(out, "trun", 1, runFlags);
        out.writeInt(frames.size());
        int offsetAt = out.writerIndex();
        out.writeInt(0); // data_offset, set by the caller
        for (int i = 0; i < frames.size(); i++) {
            Frame frame = frames.get(i);
            // A dts that goes backwards (a broken source) gets duration 0 rather than a huge unsigned one.
            out.writeInt((int) Math.max(0, ticks[i + 1] - ticks[i]));
            out.writeInt(frame.payload().readableBytes());
            if ((runFlags & SAMPLE_FLAGS) != 0) {
                out.writeInt(frame.isKeyframe() ? SYNC_SAMPLE : NON_SYNC_SAMPLE);
            }
            if ((runFlags & SAMPLE_COMPOSITION_OFFSET) != 0) {
                out.writeInt((int) clock.compositionOffset(frame.pts() - frame.dts()));
            }
        }
        Boxes.end(out, trun);
        Boxes.end(out, traf);
        return offsetAt;
    }

    private static int payloadBytes(List<Frame> frames) {
        int bytes = 0;
        for (Frame frame : frames) {
            bytes += frame.payload().readableBytes();
        }
        return bytes;
    }

    private static void copyPayloads(List<Frame> frames, ByteBuf out) {
        for (Frame frame : frames) {
            Boxes.copy(frame.payload(), out);
        }
    }
}
