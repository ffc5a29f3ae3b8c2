package io.meshlive.hls.segment;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SegmenterTest {
    /** Writes down the decisions as short strings. */
    private static final class Log implements Segmenter.Listener {
        final List<String> events = new ArrayList<>();

        @Override
        public void segmentStarted(long sequence, long firstDts, boolean discontinuity) {
            events.add("seg" + sequence + "@" + firstDts / 1000 + (discontinuity ? " disc" : ""));
        }

        @Override
        public void partStarted(long sequence, int part, boolean independent) {
            events.add("part" + sequence + "." + part + (independent ? " I" : ""));
        }

        @Override
        public void frame(Frame frame) {
            events.add((frame.track() == io.meshlive.media.TrackType.VIDEO ? "v" : "a") + frame.dts() / 1000);
        }

        @Override
        public void partEnded(long sequence, int part, long endDts) {
            events.add("/part" + sequence + "." + part + "@" + endDts / 1000);
        }

        @Override
        public void segmentEnded(long sequence, long endDts) {
            events.add("/seg" + sequence + "@" + endDts / 1000);
        }
    }

    private static void feed(Segmenter s, Codec codec, long ms, boolean key) {
        Frame f = Frame.media(codec, ms * 1000, ms * 1000, key, Unpooled.EMPTY_BUFFER, 0);
        try {
            s.accept(f);
        } finally {
            f.release();
        }
    }

    @Test
    void segmentsCutAtTheFirstKeyframeAfterTheTargetAndPartsAtThePartTarget() {
        Log log = new Log();
        Segmenter s = new Segmenter(1_000_000, 200_000, true, log);
        feed(s, Codec.H264, 0, false);  // no keyframe yet: nothing starts
        // 10 fps video, keyframe every 0.6 s: the segment must wait for the keyframe at 1.2 s.
        for (int ms = 100; ms <= 1300; ms += 100) {
            feed(s, Codec.H264, ms, (ms - 100) % 600 == 0);
        }
        assertThat(log.events).containsExactly(
                "seg0@100", "part0.0 I", "v100", "v200",
                "/part0.0@300", "part0.1", "v300", "v400",
                "/part0.1@500", "part0.2", "v500", "v600",
                "/part0.2@700", "part0.3 I", "v700", "v800",
                "/part0.3@900", "part0.4", "v900", "v1000",
                "/part0.4@1100", "part0.5", "v1100", "v1200",
                "/part0.5@1300", "/seg0@1300", "seg1@1300", "part1.0 I", "v1300");
    }

    @Test
    void audioFallsIntoTheOpenPartAndNeverCutsWhenThereIsVideo() {
        Log log = new Log();
        Segmenter s = new Segmenter(1_000_000, 200_000, true, log);
        feed(s, Codec.AAC, 0, true);    // before the first keyframe: dropped
        feed(s, Codec.H264, 10, true);
        feed(s, Codec.AAC, 23, true);
        feed(s, Codec.AAC, 300, true);  // past the part target, but audio does not cut
        feed(s, Codec.H264, 310, false);
        assertThat(log.events).containsExactly("seg0@10", "part0.0 I", "v10", "a23", "a300", "/part0.0@310", "part0.1", "v310");
    }

    @Test
    void audioOnlyStreamsCutOnAudio() {
        Log log = new Log();
        Segmenter s = new Segmenter(1_000_000, 0, false, log);
        for (int ms = 0; ms <= 1100; ms += 100) {
            feed(s, Codec.AAC, ms, true);
        }
        assertThat(log.events).startsWith("seg0@0", "a0").contains("/seg0@1000", "seg1@1000");
    }

    @Test
    void aTimestampJumpOrThePublisherLeavingStartsADiscontinuity() {
        Log log = new Log();
        Segmenter s = new Segmenter(1_000_000, 0, true, log);
        feed(s, Codec.H264, 0, true);
        feed(s, Codec.H264, 100, false);
        feed(s, Codec.H264, 50, true); // went backwards: a new publisher's timeline
        s.end();
        feed(s, Codec.H264, 20_000, true);
        assertThat(log.events).containsExactly("seg0@0", "v0", "v100", "/seg0@100", "seg1@50 disc", "v50", "/seg1@50",
                "seg2@20000 disc", "v20000");
    }
}
