package io.meshlive.server.it;

import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A viewer that stops reading must cost the others nothing: it falls behind its latency budget and
 * skips (and the API says so), while a viewer reading normally keeps up with the live edge.
 */
@Timeout(60)
class SlowViewerTest {
    private static final String STREAM = "heavy";
    private static final int LATENCY_BUDGET_MS = 500;
    /** Small enough that the TCP window closes after a few frames of a 1.5 Mbit/s stream. */
    private static final int SLOW_RECEIVE_BUFFER = 4096;
    /** How long the fast viewer's pace is measured, and how long the server has to notice the stalled one. */
    private static final Duration MEASURED = Duration.ofSeconds(5);

    private static TestServer server;

    @BeforeAll
    static void startServer() throws InterruptedException {
        server = TestServer.start(c -> c.hub.latencyBudgetMs = LATENCY_BUDGET_MS);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void stalledViewerSkipsWhileAFastViewerKeepsPace() throws Exception {
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live().heavy("1500k"), server.rtmpUrl(STREAM))) {
            server.awaitLive(STREAM, publisher);
            try (HttpFlvClient stalled = HttpFlvClient.open(server, STREAM, SLOW_RECEIVE_BUFFER);
                 FlvWatcher fast = FlvWatcher.start(server, STREAM)) {
                // From here on the stalled client reads nothing: it has its response head and stops.
                await("first video frame at the fast viewer").atMost(Duration.ofSeconds(3))
                        .until(() -> fast.mediaMillis() >= 0);
                Thread.sleep(1000); // past the burst of the cached GOP a new viewer gets, which runs ahead of wall time
                long wallStart = System.nanoTime();
                long mediaStart = fast.mediaMillis();
                awaitSkipsWithin(MEASURED);
                Thread.sleep(Math.max(0, MEASURED.toMillis() - (System.nanoTime() - wallStart) / 1_000_000));

                long wallMillis = (System.nanoTime() - wallStart) / 1_000_000;
                long mediaMillis = fast.mediaMillis() - mediaStart;
                JsonNode streamStats = server.apiStream(STREAM);
                JsonNode stalledSession = session(stalled.localPort());
                System.out.printf("fast viewer: %d ms of media in %d ms (%s); stalled viewer: %s%n",
                        mediaMillis, wallMillis, fast, stalledSession);

                assertThat(fast.isEnded()).as("fast viewer ended: %s", fast.endReason()).isFalse();
                assertThat((double) mediaMillis).as("media ms the fast viewer received in %d ms of wall time", wallMillis)
                        .isGreaterThanOrEqualTo(0.8 * wallMillis);
                assertThat(streamStats.path("skippedFrames").asLong())
                        .as("skippedFrames of live/%s in /api/v1/streams, %d s after a viewer stopped reading "
                                + "(latency budget %d ms); the stalled viewer's session: %s",
                                STREAM, MEASURED.toSeconds() + 1, LATENCY_BUDGET_MS, stalledSession)
                        .isPositive();
                assertThat(stalledSession.path("skippedFrames").asLong())
                        .as("skippedFrames of the stalled viewer in /api/v1/sessions: %s", stalledSession)
                        .isPositive();
                assertThat(publisher.isAlive()).as("publisher running: %s", publisher.describe()).isTrue();
            }
        }
    }

    /** Polls the API until the stream reports skipped frames; a timeout is left to the assertions to report. */
    private static void awaitSkipsWithin(Duration limit) {
        try {
            await().atMost(limit).pollInterval(Duration.ofMillis(250))
                    .until(() -> server.apiStream(STREAM).path("skippedFrames").asLong() > 0);
        } catch (ConditionTimeoutException e) {
            // The assertion on skippedFrames says what the API showed.
        }
    }

    /** The entry of /api/v1/sessions for the viewer connected from {@code localPort}. */
    private static JsonNode session(int localPort) throws IOException, InterruptedException {
        JsonNode sessions = server.api("/api/v1/sessions").path("sessions");
        for (JsonNode s : sessions) {
            if (s.path("remoteAddress").asText().endsWith(":" + localPort)) {
                return s;
            }
        }
        throw new AssertionError("no session from port " + localPort + " in /api/v1/sessions: " + sessions);
    }
}
