package io.meshlive.server.it;

import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When the publisher dies, viewers wait for it to come back for the publisher-gone timeout, and
 * are then closed, so players can tell the stream is over; the stream is then dropped.
 */
@Timeout(60)
class PublisherGoneTest {
    private static final String STREAM = "gone";
    private static final int GONE_TIMEOUT_MS = 1500;

    private static TestServer server;

    @BeforeAll
    static void startServer() throws InterruptedException {
        server = TestServer.start(c -> c.hub.publisherGoneTimeoutMs = GONE_TIMEOUT_MS);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void viewersAreClosedOnceThePublisherHasBeenGoneForTheTimeout() throws Exception {
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl(STREAM))) {
            server.awaitLive(STREAM, publisher);
            try (FlvWatcher flvViewer = FlvWatcher.start(server, STREAM);
                 ExternalProcess rtmpViewer = Ffmpeg.play(server.rtmpUrl(STREAM))) {
                await("both viewers subscribed and receiving").atMost(Duration.ofSeconds(10))
                        .failFast("the RTMP viewer exited", () -> !rtmpViewer.isAlive())
                        .until(() -> server.stream(STREAM).subscriberCount() == 2 && flvViewer.videoFrames() > 0);

                publisher.close();
                long killed = System.nanoTime();

                long endedMillis = (flvViewer.awaitEnd(Duration.ofSeconds(4)) - killed) / 1_000_000;
                System.out.printf("HTTP-FLV viewer closed %d ms after the publisher was killed (timeout %d ms)%n",
                        endedMillis, GONE_TIMEOUT_MS);
                assertThat(flvViewer.endReason()).as("how the HTTP-FLV viewer's stream ended").isEqualTo("closed by the server");
                assertThat(endedMillis).as("ms from killing the publisher to closing the HTTP-FLV viewer")
                        .isBetween(GONE_TIMEOUT_MS - 500L, GONE_TIMEOUT_MS + 1500L);
                long left = Math.max(0, 3000 - (System.nanoTime() - killed) / 1_000_000);
                assertThat(rtmpViewer.exitsWithin(Duration.ofMillis(left)))
                        .as("RTMP viewer (ffmpeg) ended within 3 s of the publisher: %s", rtmpViewer.describe())
                        .isTrue();
            }
        }
        await("live/" + STREAM + " dropped once nobody uses it").atMost(Duration.ofSeconds(2))
                .until(() -> server.stream(STREAM) == null);
    }
}
