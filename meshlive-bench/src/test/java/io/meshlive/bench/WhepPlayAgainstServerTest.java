package io.meshlive.bench;

import io.meshlive.server.it.TestServer;
import io.meshlive.testkit.ExternalProcess;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.TestPattern;
import io.meshlive.bench.play.PlayLoad;
import io.meshlive.bench.play.PlayOptions;
import io.meshlive.bench.play.PlaySummary;
import io.meshlive.bench.play.PlayerResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code bench play} over WHEP against a real server: ffmpeg publishes H.264 + AAC over RTMP, the
 * server sends H.264 and the Opus it transcodes, and every bench player must get through ICE and
 * DTLS, decrypt video frames and audio, and delete its session when it stops.
 */
@Timeout(90)
class WhepPlayAgainstServerTest {
    private static final int PLAY_SECONDS = 5;

    @Test
    void threeWhepPlayersDecryptVideoFramesAndOpusAudioFromAnFfmpegPublisher() throws Exception {
        try (TestServer server = TestServer.start()) {
            try (ExternalProcess ffmpeg = Ffmpeg.publish(TestPattern.live().withSize(320, 240), server.rtmpUrl("w"))) {
                server.awaitLive("w", ffmpeg);

                PlaySummary summary = PlayLoad.run(new PlayOptions(List.of(StreamUrl.parse(server.whepUrl("w"))), 3,
                        Duration.ofSeconds(PLAY_SECONDS), 0, Duration.ofSeconds(1), 1, null), System.out);

                assertThat(summary.players()).hasSize(3).allSatisfy(p -> {
                    assertThat(p.connected()).as("player %d: %s", p.index(), p.reason()).isTrue();
                    assertThat(p.timeToFirstFrameNanos()).as("player %d POST to first keyframe", p.index())
                            .isPositive().isLessThan(Duration.ofSeconds(2).toNanos());
                    // 30 fps and 50 Opus packets a second, less the handshake.
                    assertThat(p.videoFrames()).as("player %d video frames", p.index()).isGreaterThan(100);
                    assertThat(p.audioFrames()).as("player %d audio packets", p.index()).isGreaterThan(150);
                    assertThat(p.lastMediaTimestamp()).as("player %d media time, ms", p.index()).isGreaterThan(3000);
                    assertThat(p.whep().undecryptable()).as("player %d packets that did not decrypt", p.index()).isZero();
                    assertThat(p.whep().rtcpPackets()).as("player %d sender reports", p.index()).isGreaterThanOrEqualTo(3);
                    assertThat(p.whep().lostPackets()).as("player %d lost packets on loopback", p.index())
                            .isLessThan(p.whep().rtpPackets() / 100);
                });
                assertThat(summary.everyPlayerPlayed()).isTrue();
                // Stopped players end their sessions (close_notify and DELETE): no WebRTC viewer stays, nor the Opus transcoder.
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(server.subscribers("w")).as("subscribers left after the players stopped").isZero());
            }
        }
    }

    @Test
    void aPlayerWithASendDelayTakesThatLongForEachRoundTripAndStillPlays() throws Exception {
        Duration delay = Duration.ofMillis(150);
        try (TestServer server = TestServer.start()) {
            try (ExternalProcess ffmpeg = Ffmpeg.publish(TestPattern.live().withSize(320, 240), server.rtmpUrl("far"))) {
                server.awaitLive("far", ffmpeg);

                PlaySummary summary = PlayLoad.run(new PlayOptions(List.of(StreamUrl.parse(server.whepUrl("far"))), 1,
                        Duration.ofSeconds(3), 0, Duration.ofSeconds(1), 1, null, 0, Duration.ZERO, PlayOptions.JOIN_TIMEOUT, delay),
                        System.out);

                PlayerResult far = summary.players().get(0);
                assertThat(far.connected()).as(far.reason()).isTrue();
                // ICE: one check held; DTLS: the ClientHello and the client's second flight held.
                assertThat(far.whepJoin().iceNanos() - far.whepJoin().answeredNanos()).isGreaterThanOrEqualTo(delay.toNanos());
                assertThat(far.whepJoin().dtlsNanos() - far.whepJoin().iceNanos()).isGreaterThanOrEqualTo(2 * delay.toNanos());
                assertThat(far.videoFrames()).isPositive();
            }
        }
    }
}
