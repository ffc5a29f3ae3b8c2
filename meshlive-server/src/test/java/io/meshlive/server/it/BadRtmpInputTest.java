package io.meshlive.server.it;

import io.meshlive.rtmp.RtmpConnection;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Broken RTMP clients are closed, each alone: while ffmpeg publishes and an HTTP-FLV viewer
 * watches, every bad connection must be closed by the server, with one log line saying why, and
 * the viewer must not miss a beat.
 */
@Timeout(60)
class BadRtmpInputTest {
    private static final String VICTIM = "victim";
    private static final int HANDSHAKE_TIMEOUT_MS = 1000;
    private static final int IDLE_TIMEOUT_MS = 3000;
    private static final Duration PROMPTLY = Duration.ofSeconds(2);
    /** Longer than this without a tag means the bad client disturbed the good viewer. */
    private static final long MAX_VIEWER_SILENCE_MS = 1000;

    private static TestServer server;
    private static WatchedStream victim;
    private static LogCapture rtmpLog;

    @BeforeAll
    static void startServerPublisherAndViewer() throws Exception {
        rtmpLog = LogCapture.of(RtmpConnection.class);
        server = TestServer.start(c -> {
            c.rtmp.handshakeTimeoutMs = HANDSHAKE_TIMEOUT_MS;
            c.rtmp.idleTimeoutMs = IDLE_TIMEOUT_MS;
        });
        victim = WatchedStream.start(server, VICTIM);
    }

    @AfterAll
    static void stop() throws Exception {
        if (victim != null) {
            victim.close();
        }
        if (server != null) {
            server.close();
        }
        if (rtmpLog != null) {
            rtmpLog.close();
        }
    }

    @BeforeEach
    void noteViewerProgress() {
        victim.mark();
    }

    @AfterEach
    void viewerKeptReceiving() {
        victim.assertStillPlaying(PROMPTLY);
        assertThat(victim.viewer().maxGapMillis()).as("longest silence at the viewer of live/%s", VICTIM)
                .isLessThan(MAX_VIEWER_SILENCE_MS);
    }

    @Test
    void httpRequestOnTheRtmpPortIsClosed() throws Exception {
        try (RawRtmpClient client = RawRtmpClient.connect(server)) {
            client.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            client.awaitClosedByServer(PROMPTLY);
            assertLoggedOnce(client, "handshake version byte 71");
        }
    }

    @Test
    void messageLengthOverTheLimitIsClosed() throws Exception {
        try (RawRtmpClient client = RawRtmpClient.connect(server)) {
            client.handshake();
            ByteBuf chunk = RawRtmpClient.videoMessage(16);
            chunk.setMedium(4, 0xFFFFFF); // the fmt-0 header's message length: 16 MiB, over the 8 MiB limit
            client.send(chunk);
            client.awaitClosedByServer(PROMPTLY);
            assertLoggedOnce(client, "message length 16777215");
        }
    }

    @Test
    void unfinishedHandshakeIsClosedByTheHandshakeTimeout() throws Exception {
        try (RawRtmpClient client = RawRtmpClient.connect(server)) {
            client.send(new byte[] {3}); // C0, and then nothing
            long millis = client.awaitClosedByServer(PROMPTLY);
            assertThat(millis).as("ms until a client that sent only C0 was closed (handshake timeout %d ms)",
                    HANDSHAKE_TIMEOUT_MS).isGreaterThanOrEqualTo(HANDSHAKE_TIMEOUT_MS / 2);
            assertLoggedOnce(client, "handshake did not finish");
        }
    }

    @Test
    void silentClientAfterTheHandshakeIsClosedByTheIdleTimeout() throws Exception {
        try (RawRtmpClient client = RawRtmpClient.connect(server)) {
            client.handshake();
            long millis = client.awaitClosedByServer(Duration.ofMillis(IDLE_TIMEOUT_MS).plus(PROMPTLY));
            assertThat(millis).as("ms until a client that went silent after the handshake was closed (idle timeout %d ms)",
                    IDLE_TIMEOUT_MS).isGreaterThanOrEqualTo(IDLE_TIMEOUT_MS - 500);
            assertLoggedOnce(client, "neither published nor played");
        }
    }

    @Test
    void publisherCutInsideAVideoMessageIsClosedAndUnpublished() throws Exception {
        try (RawRtmpClient client = RawRtmpClient.connect(server)) {
            client.handshake();
            client.publish(TestServer.APP, "cut");
            await("live/cut published by the raw client").atMost(PROMPTLY)
                    .until(() -> server.stream("cut") != null && server.stream("cut").publisher() != null);

            ByteBuf video = RawRtmpClient.videoMessage(4000);
            video.writerIndex(video.writerIndex() / 2); // only the first half of the message's chunks
            client.send(video);
            client.shutdownOutput();
            client.awaitClosedByServer(PROMPTLY);
        }
        await("live/cut gone from the node").atMost(PROMPTLY).until(() -> server.stream("cut") == null);
        assertThat(server.hub().sessions().all()).as("sessions").noneMatch(s -> TestServer.key("cut").equals(s.stream()));
    }

    /**
     * The server logged the closing of {@code client}'s connection as one line naming {@code reason},
     * without a stack trace: a bad client is the peer's fault, not a server failure.
     */
    private static void assertLoggedOnce(RawRtmpClient client, String reason) throws InterruptedException {
        String connection = ":" + client.localPort() + " ";
        await("a log line about the connection from port " + client.localPort()).atMost(PROMPTLY)
                .until(() -> !rtmpLog.mentioning(connection).isEmpty());
        // Any further line would come from the same close, within moments: none may come.
        await("no second log line about the connection").during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> rtmpLog.mentioning(connection).size() == 1);
        assertThat(rtmpLog.mentioning(connection))
                .as("RtmpConnection log lines about the connection from port %d", client.localPort())
                .singleElement()
                .satisfies(line -> {
                    assertThat(line.getFormattedMessage()).as("the log line").contains(reason);
                    assertThat(line.getThrowableProxy()).as("stack trace logged with '%s'", line.getFormattedMessage()).isNull();
                });
    }
}
