package io.meshlive.bench;

import io.meshlive.server.it.TestServer;
import io.meshlive.testkit.ExternalProcess;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.TestPattern;
import io.meshlive.server.config.TranscodeConfig;
import io.meshlive.bench.play.PlayLoad;
import io.meshlive.bench.play.PlayOptions;
import io.meshlive.bench.play.PlaySummary;
import io.meshlive.bench.play.PlayerResult;
import io.meshlive.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ABR over WHEP against a real server: ffmpeg publishes 720p, the server's ladder makes 480p and
 * 360p, and bench players report a bandwidth estimate (REMB) as browsers do. A player with room
 * to spare keeps the 720p source; one with 300 kbit/s is moved to 360p, at a keyframe, on the same
 * SSRC and sequence line, so nothing is lost and everything decrypts; one that asked for 480p by
 * name stays on it.
 */
@Timeout(90)
class WhepAbrAgainstServerTest {
    /** Long enough for the move down on a loaded 2-core machine; the test waits for it, not for a fixed time. */
    private static final int PLAY_SECONDS = 20;
    /** 720p at 2 Mbit/s, a keyframe a second. */
    private static final TestPattern SOURCE = new TestPattern(TestPattern.FPS, "2000k", false, false, 1280, 720, "aac");

    @Test
    void playersMoveToTheRenditionTheirEstimateAffords() throws Exception {
        try (TestServer server = TestServer.start(WhepAbrAgainstServerTest::ladder);
             ExternalProcess ffmpeg = Ffmpeg.publish(SOURCE, server.rtmpUrl("abr"))) {
            server.awaitLive("abr", ffmpeg);
            server.awaitLive("abr_480p", ffmpeg);
            server.awaitLive("abr_360p", ffmpeg);

            CompletableFuture<PlaySummary> roomy = play(server, "abr", 20_000);
            CompletableFuture<PlaySummary> starved = play(server, "abr", 300);
            CompletableFuture<PlaySummary> pinned = play(server, "abr_480p", 0);
            // The move down takes the handshake, two estimates 1.5 s apart and the rendition's next
            // keyframe: seconds on a busy machine. Wait for it while the players still play.
            await().atMost(Duration.ofSeconds(PLAY_SECONDS - 2)).until(() -> server.sessionDetails("whep").stream()
                    .anyMatch(s -> "abr_360p".equals(s.get("videoFrom"))));
            List<Map<String, Object>> sessions = server.sessionDetails("whep");

            assertPlayed(roomy.join(), 1280, 720);
            assertPlayed(starved.join(), 640, 360);
            assertPlayed(pinned.join(), 854, 480);
            assertThat(sessions).as("the server's view of its WHEP viewers: %s", sessions)
                    .anySatisfy(s -> {
                        assertThat(s.get("estimateBps")).isEqualTo(20_000_000L);
                        assertThat(s.get("videoFrom")).isEqualTo("abr");
                        assertThat(s.get("renditionSwitches")).isEqualTo(0L);
                    })
                    .anySatisfy(s -> {
                        assertThat(s.get("estimateBps")).isEqualTo(300_000L);
                        assertThat(s.get("videoFrom")).isEqualTo("abr_360p");
                        assertThat(s.get("renditionSwitches")).isEqualTo(1L);
                    })
                    .anySatisfy(s -> {
                        assertThat(s.get("estimateBps")).isEqualTo(-1L);
                        assertThat(s.get("videoFrom")).isEqualTo("abr_480p");
                    });
        }
    }

    private static void ladder(ServerConfig c) {
        TranscodeConfig.Ladder ladder = new TranscodeConfig.Ladder();
        ladder.renditions.add(rendition("480p", 854, 480, 1200));
        ladder.renditions.add(rendition("360p", 640, 360, 700));
        c.transcode.apps.put("live", ladder);
    }

    private static TranscodeConfig.Rendition rendition(String name, int width, int height, int kbps) {
        TranscodeConfig.Rendition r = new TranscodeConfig.Rendition();
        r.name = name;
        r.width = width;
        r.height = height;
        r.bitrateKbps = kbps;
        return r;
    }

    private static CompletableFuture<PlaySummary> play(TestServer server, String stream, long rembKbps) {
        PlayOptions options = new PlayOptions(List.of(StreamUrl.parse(server.whepUrl(stream))), 1, Duration.ofSeconds(PLAY_SECONDS), 0,
                Duration.ofSeconds(PLAY_SECONDS), 1, null, rembKbps);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return PlayLoad.run(options, System.out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    private static void assertPlayed(PlaySummary summary, int width, int height) {
        PlayerResult p = summary.players().get(0);
        String what = p.url() + ": " + p.whep();
        assertThat(p.connected()).as("%s %s", what, p.reason()).isTrue();
        assertThat(p.whep().videoWidth()).as("picture width of the last SPS, %s", what).isEqualTo(width);
        assertThat(p.whep().videoHeight()).as("picture height, %s", what).isEqualTo(height);
        assertThat(p.whep().undecryptable()).as("packets that did not decrypt, %s", what).isZero();
        assertThat(p.whep().lostPackets()).as("sequence gaps, %s", what).isZero();
        // 30 fps over the run, less the handshake and a switch's hold of a few frames.
        assertThat(p.videoFrames()).as("video frames, %s", what).isGreaterThan(PLAY_SECONDS * 30 * 3 / 4);
        assertThat(p.lastMediaTimestamp()).as("media time, ms, %s", what).isGreaterThan((PLAY_SECONDS - 2) * 1000L);
    }
}
