package io.meshlive.server.it;

import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A webhook receiver in the test denies one stream and allows another, and hears when the publisher leaves. */
@Timeout(60)
class WebhookFlowTest {
    private static final List<String> EVENTS = new CopyOnWriteArrayList<>();
    private static HttpServer receiver;
    private static TestServer server;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            EVENTS.add(body);
            boolean deny = body.contains("\"stream\":\"denied\"") && body.contains("\"event\":\"on_publish\"");
            byte[] answer = deny ? "{\"allow\":false,\"reason\":\"not on the schedule\"}".getBytes(StandardCharsets.UTF_8) : new byte[0];
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();
        server = TestServer.start(c -> {
            c.webhooks.url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            c.webhooks.secret = "k";
            c.webhooks.firstRetryDelayMs = 100;
        });
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void theReceiverDecidesWhoPublishesAndHearsThemLeave() {
        try (ExternalProcess denied = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl("denied"))) {
            assertThat(denied.exitsWithin(Duration.ofSeconds(10))).as("denied publish ends: %s", denied.describe()).isTrue();
        }
        assertThat(server.stream("denied")).isNull();
        try (ExternalProcess allowed = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl("allowed"))) {
            server.awaitLive("allowed", allowed);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> EVENTS.stream()
                .anyMatch(e -> e.contains("\"event\":\"on_unpublish\"") && e.contains("\"stream\":\"allowed\"")));
        assertThat(EVENTS).anyMatch(e -> e.contains("\"event\":\"on_publish\"") && e.contains("\"stream\":\"denied\""));
        assertThat(server.hub().refusals().snapshot().toString()).contains("webhook denied");
    }
}
