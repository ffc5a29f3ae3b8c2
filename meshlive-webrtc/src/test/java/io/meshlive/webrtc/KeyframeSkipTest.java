package io.meshlive.webrtc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyframeSkipTest {
    private static final long STALL = 1_000;

    @Test
    void aWritablePathSkipsNothing() {
        KeyframeSkip skip = new KeyframeSkip(STALL);
        assertThat(skip.skip(true, false, 0)).isFalse();
        assertThat(skip.skip(true, true, 1)).isFalse();
        assertThat(skip.stalled(10_000)).isFalse();
    }

    @Test
    void overTheLimitFramesAreSkippedUntilAKeyframeFindsThePathWritable() {
        KeyframeSkip skip = new KeyframeSkip(STALL);
        assertThat(skip.skip(false, true, 0)).as("over the limit, even a keyframe").isTrue();
        assertThat(skip.skip(true, false, 10)).as("writable again, but mid-GOP").isTrue();
        assertThat(skip.skip(false, true, 20)).as("a keyframe while still over").isTrue();
        assertThat(skip.skip(true, true, 30)).as("a keyframe once writable: resumes").isFalse();
        assertThat(skip.skip(true, false, 40)).isFalse();
    }

    @Test
    void skippingPastTheStallTimeoutIsAStall() {
        KeyframeSkip skip = new KeyframeSkip(STALL);
        skip.skip(false, false, 100);
        assertThat(skip.stalled(100 + STALL)).isFalse();
        assertThat(skip.stalled(101 + STALL)).isTrue();
        skip.skip(true, true, 2_000);
        assertThat(skip.stalled(5_000)).as("caught up").isFalse();
    }
}
