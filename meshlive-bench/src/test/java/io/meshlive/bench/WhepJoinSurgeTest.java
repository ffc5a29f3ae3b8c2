package io.meshlive.bench;

import io.meshlive.bench.play.PlayLoad;
import io.meshlive.bench.play.PlayOptions;
import io.meshlive.bench.play.PlaySummary;
import io.meshlive.bench.play.PlayerResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A surge of WHEP joins (the "3, 2, 1 — link!" moment): {@value #PLAYERS} bench players post
 * their offers within two seconds, and every one must get through ICE and DTLS to its
 * first keyframe (what happens after, on a machine this busy, is another test's business).
 * No handshake may be refused or time out because others are in progress. The time each took is
 * printed, not asserted (the machine is shared); the bound is generous: {@link #JOIN} for the
 * answer, then as long for ICE and DTLS, on the players' side and the server's.
 */
@Timeout(180)
class WhepJoinSurgeTest {
    private static final int PLAYERS = 100;
    private static final double PER_SECOND = 50;
    private static final Duration JOIN = Duration.ofSeconds(30);
    /** The answer, then ICE and DTLS, each within {@link #JOIN}, after the last join. */
    private static final Duration LIMIT = JOIN.multipliedBy(2).plusSeconds(10);

    @Test
    void everyPlayerOfASurgeConnects() throws Exception {
        try (TestServer server = TestServer.start(config -> config.webrtc.handshakeTimeoutMs = (int) JOIN.toMillis())) {
            Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-re",
                    "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15", "-f", "lavfi", "-i", "sine=frequency=440",
                    "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15", "-b:v", "150k",
                    "-c:a", "aac", "-b:a", "48k", "-f", "flv", server.rtmp("surge").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                server.awaitLive("surge", ffmpeg);

                PlayLoad load = new PlayLoad(new PlayOptions(List.of(server.whep("surge")), PLAYERS, LIMIT, PER_SECOND,
                        Duration.ofSeconds(5), 1, null, 0, JOIN), System.out);
                CompletableFuture<PlaySummary> run = CompletableFuture.supplyAsync(() -> {
                    try {
                        return load.run();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                // Until every player has its first picture, or has given up; then the run ends early.
                await().atMost(LIMIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                    List<PlayerResult> now = load.sample();
                    return now.size() == PLAYERS && now.stream().allMatch(p -> p.hasVideo() || p.ended());
                });
                load.stop();
                PlaySummary summary = run.get(60, TimeUnit.SECONDS);

                long[] ttff = summary.timesToFirstFrame();
                System.out.printf("WHEP join surge: %d of %d players got video; POST to first keyframe packet p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                        ttff.length, PLAYERS, percentile(ttff, 50), percentile(ttff, 99), percentile(ttff, 100));
                assertThat(summary.players()).hasSize(PLAYERS).allSatisfy(p ->
                        assertThat(p.hasVideo()).as("player %d got video (%s: %s)", p.index(), p.state(), p.reason()).isTrue());
            } finally {
                ffmpeg.destroy();
            }
        }
    }

    private static double percentile(long[] nanos, int p) {
        if (nanos.length == 0) {
            return Double.NaN;
        }
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        int i = Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }
}
