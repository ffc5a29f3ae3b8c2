package io.meshlive.bench;

import io.meshlive.bench.play.PlayLoad;
import io.meshlive.bench.play.PlayOptions;
import io.meshlive.bench.play.PlaySummary;
import io.meshlive.bench.publish.PublishLoad;
import io.meshlive.bench.publish.PublishOptions;
import io.meshlive.core.LatencySummary;
import io.meshlive.server.it.TestServer;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.Workers;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many AAC streams played over WHEP, so each stream's audio is transcoded to Opus for its viewers,
 * while a probe on every hub event loop measures how late a task scheduled there runs: the loop
 * latency every socket on the loop sees. Prints the figure (line {@code WHEP loop latency, ...});
 * asserts only that every viewer played video and Opus audio. Runs only when asked, with
 * {@code -Dwhep.streams=N} (N streams, two viewers each): it loads the machine, and the suite must
 * pass on a busy one. Run with {@code -Dtest.argLine=-Xmx1g} for figures without the paranoid leak
 * detector's cost (it records a stack trace per buffer access). Also prints the server-added
 * latency of the WHEP frames (arrival to socket write) of the worst stream (line {@code WHEP frame latency}).
 */
@Timeout(180)
@EnabledIfSystemProperty(named = "whep.streams", matches = "[1-9][0-9]*")
class WhepTranscodedAudioLoadTest {
    private static final int STREAMS = Integer.getInteger("whep.streams", 0);
    private static final int VIEWERS_PER_STREAM = 2;
    private static final int PLAY_SECONDS = 15;
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
             PublishLoad publishers = PublishLoad.start(new PublishOptions(StreamUrl.parse(server.rtmpUrl("t")), file, true, null, STREAMS, "t",
                     null, Duration.ofSeconds(5), 1))) {
            Publishers.awaitPublishing(publishers);
            List<StreamUrl> urls = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                urls.add(StreamUrl.parse(server.whepUrl("t" + i)));
            }
            LoopProbe probe = new LoopProbe(server.hub().workers());
            PlaySummary summary;
            try {
                // Viewers join four a second: each DTLS handshake costs a core some milliseconds.
                summary = PlayLoad.run(new PlayOptions(urls, STREAMS * VIEWERS_PER_STREAM, Duration.ofSeconds(PLAY_SECONDS),
                        4, Duration.ofSeconds(5), 1, null), System.out);
            } finally {
                probe.stop();
            }
            System.out.printf("WHEP loop latency, %d streams of AAC transcoded to Opus, %d viewers, %d loops: %s%n",
                    STREAMS, STREAMS * VIEWERS_PER_STREAM, server.hub().workers().size(), probe.summary());
            LatencySummary worst = null;
            for (int i = 0; i < STREAMS; i++) {
                Stream s = server.hub().streams().get(new StreamKey("live", "t" + i));
                LatencySummary l = s == null ? null : s.stats().totalLatency();
                if (l != null && (worst == null || l.p99() > worst.p99())) {
                    worst = l;
                }
            }
            System.out.printf("WHEP frame latency (server-added, arrival to write), worst of %d streams: %s%n", STREAMS,
                    worst == null ? "none" : String.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d writes",
                            worst.p50() / 1000.0, worst.p99() / 1000.0, worst.max() / 1000.0, worst.count()));

            assertThat(summary.players()).hasSize(STREAMS * VIEWERS_PER_STREAM).allSatisfy(p -> {
                assertThat(p.connected()).as("player %d: %s", p.index(), p.reason()).isTrue();
                assertThat(p.videoFrames()).as("player %d video frames", p.index()).isPositive();
                assertThat(p.audioFrames()).as("player %d Opus packets", p.index()).isPositive();
            });
        }
    }

    /**
     * On every loop, a task that runs 5 ms after the one before it ran and notes how late it ran:
     * a loop held up for 200 ms gives one sample of 200 ms (not forty), so the percentiles are of
     * the delays a socket event on the loop meets.
     */
    private static final class LoopProbe {
        private final AtomicLongArray lateMicros = new AtomicLongArray(MAX_SAMPLES);
        private final AtomicInteger samples = new AtomicInteger();
        private final List<Long> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        private final long startNanos = System.nanoTime();
        private long startCpuNanos;
        private long cpuNanos;
        private final Map<Long, Long> audioStartCpu = new HashMap<>();
        private long audioCpuNanos;
        private long wallNanos;
        private volatile boolean stopped;

        LoopProbe(Workers workers) throws Exception {
            for (int i = 0; i < workers.size(); i++) {
                EventLoop loop = workers.loop(i);
                loop.submit(() -> threads.add(Thread.currentThread().getId())).get(10, TimeUnit.SECONDS);
                loop.execute(() -> next(loop));
            }
            startCpuNanos = loopCpuNanos();
            audioThreads().forEach(id -> audioStartCpu.put(id, cpu.getThreadCpuTime(id)));
        }

        /** The audio transcoding threads (none where FFmpeg runs on the loops). */
        private static List<Long> audioThreads() {
            return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("meshlive-audio-"))
                    .map(Thread::getId).toList();
        }

        /** CPU time the loops' threads have used: what every socket on them waits behind. */
        private long loopCpuNanos() {
            long sum = 0;
            for (long id : threads) {
                sum += Math.max(0, cpu.getThreadCpuTime(id));
            }
            return sum;
        }

        private void next(EventLoop loop) {
            if (stopped) {
                return;
            }
            long due = System.nanoTime() + PROBE_PERIOD_MICROS * 1000;
            loop.schedule(() -> {
                int n = samples.getAndIncrement();
                if (n < MAX_SAMPLES) {
                    lateMicros.set(n, Math.max(0, (System.nanoTime() - due) / 1000));
                }
                next(loop);
            }, PROBE_PERIOD_MICROS, TimeUnit.MICROSECONDS);
        }

        void stop() {
            stopped = true;
            cpuNanos = loopCpuNanos() - startCpuNanos;
            for (long id : audioThreads()) {
                audioCpuNanos += Math.max(0, cpu.getThreadCpuTime(id) - audioStartCpu.getOrDefault(id, 0L));
            }
            wallNanos = System.nanoTime() - startNanos;
        }

        String summary() {
            int n = Math.min(samples.get(), MAX_SAMPLES);
            if (n == 0) {
                return "no samples";
            }
            long[] sorted = new long[n];
            for (int i = 0; i < n; i++) {
                sorted[i] = lateMicros.get(i);
            }
            Arrays.sort(sorted);
            return String.format("p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms (%d samples); loop threads busy"
                            + " %.0f ms of CPU per second, audio transcoding threads %.0f ms", sorted[n / 2] / 1000.0, sorted[(int) (n * 0.99)] / 1000.0,
                    sorted[(int) (n * 0.999)] / 1000.0, sorted[n - 1] / 1000.0, n, cpuNanos * 1000.0 / wallNanos,
                    audioCpuNanos * 1000.0 / wallNanos);
        }
    }
}
