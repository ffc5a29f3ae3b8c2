package io.meshlive.transcode.video;

import io.meshlive.core.StreamKey;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The streams a ladder publishes: a rung whose name would be too long is left out, not thrown at every caller. */
class RenditionKeysTest {
    private static final RenditionSpec LOW = new RenditionSpec("360p", 640, 360, 800);
    private static final RenditionSpec HIGH = new RenditionSpec("highest", 1280, 720, 2500);
    private static final LadderSpec LADDER = new LadderSpec(VideoEncoderKind.values()[0], "veryfast", List.of(LOW, HIGH), true, 0);

    @Test
    void namesEveryRungAfterTheSourceInOrder() {
        StreamKey source = new StreamKey("live", "demo");
        assertThat(Transcoder.renditionKeys(source, LADDER)).containsExactly(
                java.util.Map.entry(LOW, new StreamKey("live", "demo_360p")),
                java.util.Map.entry(HIGH, new StreamKey("live", "demo_highest")));
    }

    @Test
    void leavesOutTheRungsWhoseNameWouldNotFit() {
        StreamKey source = new StreamKey("live", "s".repeat(123)); // room for "_360p" (5), not for "_highest" (8)
        assertThat(Transcoder.renditionKeys(source, LADDER)).containsOnlyKeys(LOW);
    }
}
