package io.meshlive.bench;

import io.meshlive.bench.play.PlayLoad;
import io.meshlive.bench.play.PlayOptions;
import io.meshlive.bench.play.PlaySummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A surge of WHEP joins (the "3, 2, 1 — link!" moment): {@value #PLAYERS} bench players post
 * their offers within a second and a half, and every one must get through ICE and DTLS to video.
 * No handshake may be refused or time out because others are in progress. The time each took is
 * printed, not asserted (the machine is shared); the players' own limits (10 s for the POST, 10 s
 * for ICE and DTLS) are the generous bound.
 */
@Timeout(120)
class WhepJoinSurgeTest {
    private static final int PLAYERS = 150;
    private static final double PER_SECOND = 100;
    private static final Duration PLAY = Duration.ofSeconds(14);

    @Test
    void everyPlayerOfASurgeConnects() throws Exception {
        try (TestServer server = TestServer.start()) {
            Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-re",
                    "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-f", "lavfi", "-i", "sine=frequency=440",
                    "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30", "-b:v", "300k",
                    "-c:a", "aac", "-b:a", "48k", "-f", "flv", server.rtmp("surge").toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                server.awaitLive("surge", ffmpeg);

                PlaySummary summary = PlayLoad.run(new PlayOptions(List.of(server.whep("surge")), PLAYERS, PLAY, PER_SECOND,
                        Duration.ofSeconds(1), 1, null), System.out);

                long[] ttff = summary.timesToFirstFrame();
                System.out.printf("WHEP join surge: %d of %d players got video; POST to first keyframe packet p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                        ttff.length, PLAYERS, percentile(ttff, 50), percentile(ttff, 99), percentile(ttff, 100));
                assertThat(summary.players()).hasSize(PLAYERS).allSatisfy(p -> {
                    assertThat(p.connected()).as("player %d: %s", p.index(), p.reason()).isTrue();
                    assertThat(p.hasVideo()).as("player %d video", p.index()).isTrue();
                });
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
