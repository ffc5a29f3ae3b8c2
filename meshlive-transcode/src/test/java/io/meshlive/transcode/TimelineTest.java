package io.meshlive.transcode;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimelineTest {
    private static final int RATE = 48_000;
    /** 1024 samples at 44.1 kHz, as RTMP stamps them: whole milliseconds. */
    private static final long[] RTMP_AAC_DTS = {5000_000, 5023_000, 5046_000, 5070_000, 5093_000};
    private static final int SAMPLES_PER_FRAME = 1114; // 1024 at 44.1 kHz, resampled to 48 kHz

    @Test
    void theFirstPacketTakesTheFirstInputDtsAndTheRestFollowTheSamples() {
        Timeline timeline = new Timeline(RATE);
        for (int i = 0; i < RTMP_AAC_DTS.length; i++) {
            boolean anchored = timeline.place((long) i * SAMPLES_PER_FRAME, RTMP_AAC_DTS[i]);
            assertThat(anchored).as("anchored at input " + i).isEqualTo(i == 0);
        }
        assertThat(timeline.dtsAt(0)).isEqualTo(5_000_000);
        assertThat(timeline.dtsAt(960)).isEqualTo(5_020_000);
        assertThat(timeline.dtsAt(4 * 960)).isEqualTo(5_080_000);
    }

    @Test
    void aGapOfALostFrameMovesTheOutputWithTheInput() {
        Timeline timeline = new Timeline(RATE);
        timeline.place(0, 1_000_000);
        timeline.place(960, 1_020_000);
        assertThat(timeline.place(1920, 1_060_000)).as("20 ms missing").isTrue();
        assertThat(timeline.dtsAt(960)).isEqualTo(1_020_000);
        assertThat(timeline.dtsAt(1920)).isEqualTo(1_060_000);
        assertThat(timeline.dtsAt(2880)).isEqualTo(1_080_000);
    }

    @Test
    void aPacketStillInFlightKeepsItsOldAnchor() {
        Timeline timeline = new Timeline(RATE);
        timeline.place(0, 0);
        timeline.place(960, 20_000);
        timeline.place(1920, 10_000_000); // a jump while the packet at 960 is not out yet
        assertThat(timeline.dtsAt(960)).isEqualTo(20_000);
        assertThat(timeline.dtsAt(1920)).isEqualTo(10_000_000);
    }

    @Test
    void goingBackwardsResyncs() {
        Timeline timeline = new Timeline(RATE);
        timeline.place(0, 7_000_000);
        timeline.place(960, 7_020_000);
        assertThat(timeline.place(1920, 7_019_000)).as("a millisecond back").isTrue();
        assertThat(timeline.place(2880, 0)).as("a publisher restart").isTrue();
        assertThat(timeline.dtsAt(2880)).isZero();
        assertThat(timeline.dtsAt(3840)).isEqualTo(20_000);
    }

    @Test
    void inputLaggingTheSamplesResyncsOnlyPast200Ms() {
        Timeline timeline = new Timeline(RATE);
        timeline.place(0, 0);
        // Timestamps that stand still while samples go on: 9 frames (180 ms) behind is still continuous.
        for (int i = 1; i <= 9; i++) {
            assertThat(timeline.place(i * 960L, 0)).as("%d ms behind", i * 20).isFalse();
        }
        assertThat(timeline.place(11 * 960L, 0)).as("220 ms behind").isTrue();
    }

    @Test
    void jitterUnderTenMillisecondsIsIgnored() {
        Timeline timeline = new Timeline(RATE);
        timeline.place(0, 0);
        assertThat(timeline.place(960, 29_000)).isFalse();
        assertThat(timeline.place(1920, 51_000)).isTrue();
    }
}
