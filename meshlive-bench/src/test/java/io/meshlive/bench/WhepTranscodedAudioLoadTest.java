package io.meshlive.bench;

import io.meshlive.bench.play.PlayLoad;
import io.meshlive.bench.play.PlayOptions;
import io.meshlive.bench.play.PlaySummary;
import io.meshlive.bench.publish.PublishLoad;
import io.meshlive.bench.publish.PublishOptions;
import io.meshlive.core.Workers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many AAC streams played over WHEP, so each stream's audio is transcoded to Opus for its viewers,
 * while a probe on every hub event loop measures how late a task scheduled there runs: the loop
 * latency every socket on the loop sees. Prints the figure (line {@code WHEP loop latency, ...});
 * asserts only that every viewer played video and Opus audio. {@code -Dwhep.streams=N} plays N
 * streams (default 10, what the shared 2-core test machine affords).
 */
@Timeout(180)
class WhepTranscodedAudioLoadTest {
    private static final int STREAMS = Integer.getInteger("whep.streams", 10);
    private static final int VIEWERS_PER_STREAM = 2;
    private static final int PLAY_SECONDS = 10;
    private static final long PROBE_PERIOD_MICROS = 5_000;
    private static final int MAX_SAMPLES = 100_000;

    @Test
    void everyViewerOfManyTranscodedStreamsPlaysWhileTheLoopLatencyIsPrinted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("aac.flv");
        Process make = new ProcessBuilder("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "10",
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-b:v", "100k",
                "-c:a", "aac", "-b:a", "64k", "-ac", "2", "-f", "flv", file.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(make.waitFor(60, TimeUnit.SECONDS)).as("ffmpeg made the file in time").isTrue();
        assertThat(make.exitValue()).isZero();

        try (TestServer server = TestServer.start();
             PublishLoad publishers = PublishLoad.start(new PublishOptions(server.rtmp("t"), file, true, null, STREAMS, "t",
                     null, Duration.ofSeconds(5), 1))) {
            TestServer.awaitPublishing(publishers);
            List<StreamUrl> urls = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                urls.add(server.whep("t" + i));
            }
            LoopProbe probe = new LoopProbe(server.hub().workers());
            PlaySummary summary;
            try {
                summary = PlayLoad.run(new PlayOptions(urls, STREAMS * VIEWERS_PER_STREAM, Duration.ofSeconds(PLAY_SECONDS),
                        0, Duration.ofSeconds(5), 1, null), System.out);
            } finally {
                probe.stop();
            }
            System.out.printf("WHEP loop latency, %d streams of AAC transcoded to Opus, %d viewers, %d loops: %s%n",
                    STREAMS, STREAMS * VIEWERS_PER_STREAM, server.hub().workers().size(), probe.summary());

            assertThat(summary.players()).hasSize(STREAMS * VIEWERS_PER_STREAM).allSatisfy(p -> {
                assertThat(p.connected()).as("player %d: %s", p.index(), p.reason()).isTrue();
                assertThat(p.videoFrames()).as("player %d video frames", p.index()).isPositive();
                assertThat(p.audioFrames()).as("player %d Opus packets", p.index()).isPositive();
            });
        }
    }

    /** A task every 5 ms on every loop, each noting how long after its due time it ran. */
    private static final class LoopProbe {
        private final AtomicLongArray lateMicros = new AtomicLongArray(MAX_SAMPLES);
        private final AtomicInteger samples = new AtomicInteger();
        private final List<ScheduledFuture<?>> tasks = new ArrayList<>();

        LoopProbe(Workers workers) {
            for (int i = 0; i < workers.size(); i++) {
                long[] due = {System.nanoTime() + PROBE_PERIOD_MICROS * 1000};
                tasks.add(workers.loop(i).scheduleAtFixedRate(() -> {
                    long now = System.nanoTime();
                    int n = samples.getAndIncrement();
                    if (n < MAX_SAMPLES) {
                        lateMicros.set(n, Math.max(0, (now - due[0]) / 1000));
                    }
                    due[0] += PROBE_PERIOD_MICROS * 1000;
                }, PROBE_PERIOD_MICROS, PROBE_PERIOD_MICROS, TimeUnit.MICROSECONDS));
            }
        }

        void stop() {
            tasks.forEach(t -> t.cancel(false));
        }

        String summary() {
            int n = Math.min(samples.get(), MAX_SAMPLES);
            long[] sorted = new long[n];
            for (int i = 0; i < n; i++) {
                sorted[i] = lateMicros.get(i);
            }
            Arrays.sort(sorted);
            if (n == 0) {
                return "no samples";
            }
            return String.format("p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms (%d samples)",
                    sorted[n / 2] / 1000.0, sorted[(int) (n * 0.99)] / 1000.0, sorted[(int) (n * 0.999)] / 1000.0,
                    sorted[n - 1] / 1000.0, n);
        }
    }
}
