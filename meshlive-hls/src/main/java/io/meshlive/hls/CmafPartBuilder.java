package io.meshlive.hls;

import io.meshlive.media.Frame;
import io.meshlive.media.TrackType;
import io.meshlive.media.cue.Cue;
import io.meshlive.media.fmp4.Fmp4Fragment;
import io.meshlive.media.fmp4.SampleClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

import java.util.ArrayList;
import java.util.List;

/**
 * The LL-HLS part being built: its frames (retained until the part is cut), the cues on them,
 * and, once cut, its bytes: an {@code emsg} per cue, then one {@code moof}+{@code mdat}.
 */
final class CmafPartBuilder {
    private final List<Frame> video = new ArrayList<>();
    private final List<Frame> audio = new ArrayList<>();
    /** Cues on the frames of this part: emsg boxes before its moof. */
    private final List<Cue> cues = new ArrayList<>();
    private long startDts;
    private boolean independent;
    private int fragmentSequence = 1;

    /** A new part begins ({@code independent}: it starts with a keyframe). */
    void start(boolean independent) {
        this.independent = independent;
        startDts = -1;
    }

    /** Keeps {@code frame} (retained) for the part. */
    void add(Frame frame) {
        if (startDts < 0) {
            startDts = frame.dts();
        }
        (frame.track() == TrackType.VIDEO ? video : audio).add(frame.retain());
    }

    void addCue(Cue cue) {
        cues.add(cue);
    }

    boolean independent() {
        return independent;
    }

    /** The part's duration if it ends at {@code endDts}, in seconds. */
    double durationSeconds(long endDts) {
        return (endDts - startDts) / 1e6;
    }

    /**
     * The part's bytes (the caller's), or null when it has nothing to play; either way the frames
     * are released. Audio the init segment does not declare ({@code audioClock} null) is left out.
     */
    ByteBuf cut(long endDts, SampleClock videoClock, SampleClock audioClock) {
        if (video.isEmpty() && (audio.isEmpty() || audioClock == null)) {
            release();
            return null;
        }
        ByteBuf bytes = PooledByteBufAllocator.DEFAULT.directBuffer(16 * 1024);
        try {
            // The next audio frame is not known yet, so the last one lasts one AAC frame.
            Fmp4Fragment.write(fragmentSequence++, video, endDts, videoClock,
                    audioClock == null ? List.of() : audio, Fmp4Fragment.ONE_FRAME_ON, audioClock, cues, bytes);
        } catch (RuntimeException e) {
            bytes.release();
            throw e;
        } finally {
            release();
        }
        return bytes;
    }

    /** Drops the part's frames and cues. */
    void release() {
        cues.clear();
        video.forEach(Frame::release);
        audio.forEach(Frame::release);
        video.clear();
        audio.clear();
    }
}
