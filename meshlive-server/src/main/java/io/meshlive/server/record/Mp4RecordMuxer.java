package io.meshlive.server.record;

import io.meshlive.media.fmp4.Fmp4Fragment;
import io.meshlive.media.fmp4.Fmp4Init;
import io.meshlive.media.fmp4.SampleClock;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.cue.Cue;
import io.meshlive.media.TrackType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.ArrayList;
import java.util.List;

/**
 * Fragmented MP4 recordings, with the LL-HLS packager's CMAF muxer: the init segment once, then a
 * moof+mdat per fragment. A file cut short by a crash ends at a whole fragment and plays as such.
 * Cues go in as {@code emsg} boxes before the moof of the fragment holding their frame, on the
 * file's timeline; other script data has no place in it and is left out.
 */
final class Mp4RecordMuxer implements RecordMuxer {
    private final List<Frame> video = new ArrayList<>();
    private final List<Frame> audio = new ArrayList<>();
    private final List<Cue> cues = new ArrayList<>();
    private int sequence = 1;
    /** Each track's exact timeline in this file; a fragment's last sample lasts one frame. */
    private SampleClock videoClock = SampleClock.video();
    private SampleClock audioClock;

    @Override
    public ByteBuf header(Frame metadata, Frame videoConfig, Frame audioConfig, ByteBufAllocator alloc) {
        videoClock = SampleClock.video();
        // Refuses codecs fMP4 has no mapping for, before anything is written.
        audioClock = audioConfig == null ? null : SampleClock.of(audioConfig);
        return RecordMuxer.written(alloc, 1024, out -> Fmp4Init.write(videoConfig, audioConfig, out));
    }

    @Override
    public void add(Frame frame, long baseDts) {
        if (frame.track() == TrackType.DATA) {
            if (frame.codec() == Codec.CUE) {
                Cue c = Cue.read(frame.payload());
                cues.add(new Cue(c.id(), c.kind(), c.payload(), c.ptsMicros() - baseDts, c.ingestWallMillis(),
                        c.durationMillis(), c.sticky(), c.late()));
            }
            return;
        }
        // The hub's frames are shared and keep the stream's timeline: this file's timeline is a
        // rebased view on the same payload, not a copy.
        long dts = frame.dts() - baseDts;
        Frame rebased = Frame.media(frame.codec(), dts, frame.pts() - baseDts, frame.isKeyframe(),
                frame.payload().retainedDuplicate(), frame.arrivalNanos());
        if (frame.track() == TrackType.VIDEO) {
            video.add(rebased);
        } else if (audioClock != null) { // audio the header declared
            audio.add(rebased);
        } else {
            rebased.release();
        }
    }

    @Override
    public boolean hasPending() {
        return !video.isEmpty() || !audio.isEmpty();
    }

    @Override
    public ByteBuf cut(ByteBufAllocator alloc) {
        try {
            return RecordMuxer.written(alloc, 16 * 1024 + pendingBytes(), out -> {
                Fmp4Fragment.write(sequence++, video, Fmp4Fragment.ONE_FRAME_ON, videoClock, audio,
                        Fmp4Fragment.ONE_FRAME_ON, audioClock, cues, out);
            });
        } finally {
            discard();
        }
    }

    private int pendingBytes() {
        int bytes = 0;
        for (List<Frame> track : List.of(video, audio)) {
            for (Frame f : track) {
                bytes += f.payload().readableBytes();
            }
        }
        return bytes;
    }

    @Override
    public void discard() {
        video.forEach(Frame::release);
        audio.forEach(Frame::release);
        video.clear();
        audio.clear();
        cues.clear();
    }
}
