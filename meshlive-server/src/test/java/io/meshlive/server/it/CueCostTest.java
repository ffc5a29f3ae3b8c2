package io.meshlive.server.it;

import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import io.meshlive.core.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a cue-heavy stream (10 cues/s) costs HTTP-FLV viewers against the same stream without
 * cues: the I/O threads' CPU and the bytes each viewer receives, over equal windows. Both windows
 * make the same number of API calls (a GET of the cue list without cues), so the API's own HTTP
 * work, done once per cue whatever the audience, is not counted as the viewers'. Prints the
 * figures; asserts only what must hold whatever the machine's load: every viewer got the cues.
 */
@Timeout(180)
class CueCostTest {
    private static final String STREAM = "cuecost";
    /** 100 in the suite; -Dcue.cost.viewers=1000 for the figure. */
    private static final int VIEWERS = Integer.getInteger("cue.cost.viewers", 100);
    private static final int WINDOW_SECONDS = 10;
    private static final int CUES_PER_SECOND = 10;

    @Test
    void tenCuesASecondCostViewersAlmostNothing() throws Exception {
        List<FlvWatcher> watchers = new ArrayList<>();
        try (TestServer server = TestServer.start(c -> {
            c.cues.maxPerSecond = 50;
            c.http.maxConnectionsPerAddress = Math.max(256, VIEWERS + 64); // every viewer comes from loopback
        })) {
            ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl(STREAM));
            try {
                server.awaitLive(STREAM, publisher);
                for (int i = 0; i < VIEWERS; i++) {
                    watchers.add(FlvWatcher.start(server, STREAM));
                }
                CueApiClient api = new CueApiClient(server, STREAM);
                Window quiet = measure(server, () -> assertThat(api.get().status()).isEqualTo(200));
                Window busy = measure(server, () -> {
                    CueApiClient.Answer a = api.post("{\"kind\":\"vote\",\"payload\":{\"question\":\"Which colour?\",\"options\":[\"red\",\"blue\"]}}");
                    assertThat(a.status()).as(a.text()).isIn(201, 202);
                });
                System.out.printf("cue cost, %d HTTP-FLV viewers, %d s windows: no cues %.1f ms CPU/s (I/O threads), %.0f bytes/s per viewer; "
                                + "%d cues/s %.1f ms CPU/s, %.0f bytes/s per viewer: +%.1f us CPU per viewer per s, +%.0f bytes/s per viewer%n",
                        VIEWERS, WINDOW_SECONDS, quiet.cpuMillisPerSecond(), quiet.bytesPerViewerPerSecond(),
                        CUES_PER_SECOND, busy.cpuMillisPerSecond(), busy.bytesPerViewerPerSecond(),
                        (busy.cpuMillisPerSecond() - quiet.cpuMillisPerSecond()) * 1000 / VIEWERS,
                        busy.bytesPerViewerPerSecond() - quiet.bytesPerViewerPerSecond());
                assertThat(server.stream(STREAM).cues().delivered()).isGreaterThanOrEqualTo((long) CUES_PER_SECOND * WINDOW_SECONDS - 5);
                assertThat(watchers).allSatisfy(w -> assertThat(w.isEnded()).as(w.endReason()).isFalse());
            } finally {
                publisher.close();
                for (FlvWatcher w : watchers) {
                    w.close();
                }
            }
        }
    }

    /** CPU and bytes over one window while {@code perCue} runs {@value #CUES_PER_SECOND} times a second. */
    private static Window measure(TestServer server, ThrowingRunnable perCue) throws Exception {
        long cpu0 = ioCpuNanos();
        long bytes0 = viewerBytes(server);
        long start = System.nanoTime();
        long next = start;
        for (int i = 0; i < CUES_PER_SECOND * WINDOW_SECONDS; i++) { // bounded in count; paced to the rate
            perCue.run();
            next += TimeUnit.SECONDS.toNanos(1) / CUES_PER_SECOND;
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Window((ioCpuNanos() - cpu0) / 1e6 / seconds, (viewerBytes(server) - bytes0) / seconds / VIEWERS);
    }

    private record Window(double cpuMillisPerSecond, double bytesPerViewerPerSecond) {
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static long ioCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("meshlive-io")) {
                total += Math.max(0, mx.getThreadCpuTime(t.getId()));
            }
        }
        return total;
    }

    private static long viewerBytes(TestServer server) {
        long bytes = 0;
        for (Session s : server.hub().sessions().all()) {
            if (s.role() == Session.Role.VIEWER) {
                bytes += s.bytesOut();
            }
        }
        return bytes;
    }
}
