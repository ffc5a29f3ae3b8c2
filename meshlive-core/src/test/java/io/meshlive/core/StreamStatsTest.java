package io.meshlive.core;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The input figures of a stream, from frames whose arrival times the test chooses. */
class StreamStatsTest {
    private final StreamStats stats = new StreamStats(new StreamKey("live", "s"), 1);

    @Test
    void theFrameRateIsTheFramesOwnEvenWhenTheyArriveInABurst() {
        stats.publisherStarted();
        long start = System.nanoTime();
        // 30 fps by their timestamps; the first second's frames arrive over 1 s, the next two
        // seconds' in one second (a publisher catching up after a stall).
        for (int i = 0; i < 30; i++) {
            video(i, start + TimeUnit.MILLISECONDS.toNanos(i * 1000L / 30));
        }
        video(30, start + TimeUnit.MILLISECONDS.toNanos(1000));
        assertThat(stats.frameRate()).isCloseTo(30.0, within(0.5));
        for (int i = 31; i < 91; i++) {
            video(i, start + TimeUnit.MILLISECONDS.toNanos(1000 + (i - 30) * 1000L / 60));
        }
        video(91, start + TimeUnit.MILLISECONDS.toNanos(2001));
        assertThat(stats.frameRate()).as("60 frames in a second of arrival, 2 s of media").isCloseTo(30.0, within(0.5));
    }

    @Test
    void aSlideShowOfOneFrameASecondStillHasARate() {
        stats.publisherStarted();
        long start = System.nanoTime();
        video(0, start);
        video(30, start + TimeUnit.MILLISECONDS.toNanos(1500));
        assertThat(stats.frameRate()).isGreaterThan(0.0).isLessThanOrEqualTo(2.0);
    }

    @Test
    void theWholeStreamLatencyIncludesTheIntervalInProgressAndTheRecentOneOnlyClosedIntervals() {
        stats.recordLatency(0, TimeUnit.MILLISECONDS.toNanos(2));
        stats.recordLatency(0, TimeUnit.MILLISECONDS.toNanos(4));
        assertThat(stats.totalLatency().count()).as("before any roll").isEqualTo(2);
        assertThat(stats.recentLatency().getTotalCount()).isZero();
        stats.rollInterval();
        assertThat(stats.recentLatency().getTotalCount()).as("the closed interval, read early or not").isEqualTo(2);
        stats.recordLatency(0, TimeUnit.MILLISECONDS.toNanos(8));
        assertThat(stats.totalLatency().count()).isEqualTo(3);
        assertThat(stats.totalLatency().max()).isBetween(7_900L, 8_100L);
        stats.rollInterval();
        assertThat(stats.recentLatency().getTotalCount()).isEqualTo(1);
        assertThat(stats.totalLatency().count()).as("nothing counted twice").isEqualTo(3);
    }

    /** Video frame {@code n} of a 30 fps stream, stamped as RTMP does (ms), arriving at {@code arrivalNanos}. */
    private void video(int n, long arrivalNanos) {
        long dts = n * 1000L / 30 * 1000;
        Frame f = Frame.media(Codec.H264, dts, dts, n % 30 == 0, Unpooled.wrappedBuffer(new byte[]{0, 0, 0, 1, 0x41}), arrivalNanos);
        try {
            stats.frameIn(f);
        } finally {
            f.release();
        }
    }
}
