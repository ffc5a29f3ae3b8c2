package io.meshlive.server.it;

import io.meshlive.testkit.Http1Clients;
import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlive.server.ServerConfig;
import io.meshlive.server.control.UrlSigner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operating a node with real clients: forbid cuts an ffmpeg publisher and its viewers at once and
 * refuses them until lifted, kick ends one session, signed URLs gate publish and play, and the
 * API's errors are 4xx with a reason.
 */
@Timeout(120)
class OperateTest {
    private static final String SECRET = "s3cret";
    private static TestServer server;
    private static final HttpClient HTTP = Http1Clients.builder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startServer() throws InterruptedException {
        server = TestServer.start(c -> {
            ServerConfig.Signing signing = new ServerConfig.Signing();
            signing.secret = SECRET;
            c.signing.put("signed", signing);
            ServerConfig.Signing bound = new ServerConfig.Signing();
            bound.secret = SECRET;
            bound.bindIp = true;
            c.signing.put("bound", bound);
        });
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status of a playback GET, read as soon as the response head arrives (a live body never ends). */
    private static int playStatus(String pathAndQuery) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + pathAndQuery))
                .timeout(Duration.ofSeconds(5)).build();
        HttpResponse<InputStream> r = HTTP.sendAsync(req, HttpResponse.BodyHandlers.ofInputStream()).get(5, TimeUnit.SECONDS);
        r.body().close();
        return r.statusCode();
    }

    @Test
    void forbidCutsThePublisherAndViewersAndRefusesThemUntilLifted() throws Exception {
        String stream = "forbid";
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl(stream))) {
            server.awaitLive(stream, publisher);
            try (FlvWatcher viewer = FlvWatcher.start(server, stream)) {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> viewer.videoFrames() > 0);
                long t0 = System.nanoTime();
                HttpResponse<String> r = call("POST", "/api/v1/streams/live/" + stream + "/forbid", "{\"reason\":\"policy 7\"}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(publisher.exitsWithin(Duration.ofSeconds(1))).as("ffmpeg publisher cut within 1 s: %s", publisher.describe()).isTrue();
                long cutMillis = (System.nanoTime() - t0) / 1_000_000;
                System.out.println("forbid -> ffmpeg publisher gone: " + cutMillis + " ms");
                assertThat(viewer.awaitEnd(Duration.ofSeconds(1))).as("viewer cut").isGreaterThanOrEqualTo(0);
            }
        }
        assertThat(playStatus("/live/" + stream + ".flv")).isEqualTo(403);
        try (ExternalProcess again = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl(stream))) {
            assertThat(again.exitsWithin(Duration.ofSeconds(10))).as("republish refused: %s", again.describe()).isTrue();
            assertThat(server.stream(stream)).isNull();
        }
        JsonNode listed = new ObjectMapper().readTree(call("GET", "/api/v1/forbidden", null).body());
        assertThat(listed.path("forbidden").toString()).contains("\"stream\":\"forbid\"").contains("policy 7");

        assertThat(call("DELETE", "/api/v1/streams/live/" + stream + "/forbid", null).statusCode()).isEqualTo(204);
        try (ExternalProcess lifted = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl(stream))) {
            server.awaitLive(stream, lifted);
        }
    }

    @Test
    void forbidsSurviveARestart() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("meshlive-forbid");
        try (TestServer first = TestServer.start(c -> c.dataDir = dir.toString())) {
            first.hub(); // started
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + first.httpPort()
                    + "/api/v1/streams/live/kept/forbid")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
        try (TestServer second = TestServer.start(c -> c.dataDir = dir.toString())) {
            JsonNode listed = second.api("/api/v1/forbidden");
            assertThat(listed.path("forbidden").toString()).contains("\"stream\":\"kept\"");
            HttpResponse<InputStream> play = HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + second.httpPort() + "/live/kept.flv")).build(), HttpResponse.BodyHandlers.ofInputStream()).get(5, TimeUnit.SECONDS);
            play.body().close();
            assertThat(play.statusCode()).isEqualTo(403);
        }
    }

    @Test
    void kickEndsOneSession() throws Exception {
        String stream = "kick";
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl(stream))) {
            server.awaitLive(stream, publisher);
            long id = -1;
            for (JsonNode s : new ObjectMapper().readTree(call("GET", "/api/v1/sessions", null).body()).path("sessions")) {
                if (s.path("stream").asText().equals("live/" + stream) && s.path("role").asText().equals("publisher")) {
                    id = s.path("id").asLong();
                }
            }
            assertThat(id).as("publisher listed in /api/v1/sessions").isPositive();
            assertThat(call("DELETE", "/api/v1/sessions/" + id, null).statusCode()).isEqualTo(204);
            assertThat(publisher.exitsWithin(Duration.ofSeconds(2))).as("kicked ffmpeg exits: %s", publisher.describe()).isTrue();
            assertThat(call("DELETE", "/api/v1/sessions/" + id, null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void signedUrlsGatePlayAndPublish() throws Exception {
        long future = System.currentTimeMillis() / 1000 + 600;
        long past = System.currentTimeMillis() / 1000 - 1;
        String good = UrlSigner.sign(SECRET, "signed", "s", future, null);
        assertThat(playStatus("/signed/s.flv")).as("unsigned").isEqualTo(403);
        assertThat(playStatus("/signed/s.flv?expires=" + future + "&sign=" + good)).as("right").isEqualTo(200);
        assertThat(playStatus("/signed/s.flv?expires=" + future + "&sign=" + good.replace(good.charAt(0), good.charAt(0) == 'a' ? 'b' : 'a')))
                .as("wrong").isEqualTo(403);
        assertThat(playStatus("/signed/s.flv?expires=" + past + "&sign=" + UrlSigner.sign(SECRET, "signed", "s", past, null)))
                .as("expired").isEqualTo(403);
        assertThat(playStatus("/bound/s.flv?expires=" + future + "&sign=" + UrlSigner.sign(SECRET, "bound", "s", future, "127.0.0.9")))
                .as("signed for another IP").isEqualTo(403);
        assertThat(playStatus("/bound/s.flv?expires=" + future + "&sign=" + UrlSigner.sign(SECRET, "bound", "s", future, "127.0.0.1")))
                .as("signed for this IP").isEqualTo(200);

        String rtmp = "rtmp://127.0.0.1:" + server.rtmpPort() + "/signed/";
        try (ExternalProcess unsigned = Ffmpeg.publish(TestPattern.live(), rtmp + "p")) {
            assertThat(unsigned.exitsWithin(Duration.ofSeconds(10))).as("unsigned publish refused: %s", unsigned.describe()).isTrue();
        }
        String sign = UrlSigner.sign(SECRET, "signed", "p", future, null);
        try (ExternalProcess signed = Ffmpeg.publish(TestPattern.live(), rtmp + "p?expires=" + future + "&sign=" + sign)) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15))
                    .failFast("publisher exited", () -> !signed.isAlive())
                    .until(() -> {
                        var s = server.hub().streams().get(new io.meshlive.core.StreamKey("signed", "p"));
                        return s != null && s.publisher() != null;
                    });
        }
        assertThat(server.hub().refusals().snapshot().toString()).contains("bad-signature");
    }

    @Test
    void apiErrorsAreFourHundredsWithAReason() throws Exception {
        HttpResponse<String> bad = call("POST", "/api/v1/streams/live/x/forbid", "{not json");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("malformed JSON");
        assertThat(call("GET", "/api/v1/streams/live/..", null).statusCode()).isEqualTo(400);
        assertThat(call("GET", "/api/v1/streams/live/nope", null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/api/v1/nothing", null).statusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/api/v1/sessions/abc", null).statusCode()).isEqualTo(400);
        assertThat(call("PUT", "/api/v1/forbidden", null).statusCode()).isEqualTo(405);
        assertThat(call("POST", "/api/v1/streams/live/x/forbid", "x".repeat(2 * 1024 * 1024)).statusCode()).isEqualTo(413);
        assertThat(call("GET", "/api/v1/health", null).body()).contains("ok");
    }

    @Test
    void readyOnceTheWebRtcWarmUpViewerHasPlayed() throws Exception {
        // The suite's nodes warm up with one viewer (TestServer): 503 while it plays, then 200.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> r = call("GET", "/api/v1/ready", null);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode ready = new ObjectMapper().readTree(r.body());
            assertThat(ready.path("ready").asBoolean()).isTrue();
            assertThat(ready.path("webrtcWarmUp").path("played").asInt()).isEqualTo(1);
            assertThat(ready.path("webrtcWarmUp").path("viewers").asInt()).isEqualTo(1);
        });
        assertThat(call("POST", "/api/v1/ready", null).statusCode()).isEqualTo(405);
    }

    @Test
    void metricsParseAsPrometheusTextWhileAStreamIsLive() throws Exception {
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl("metered"))) {
            server.awaitLive("metered", publisher);
            HttpResponse<String> r = call("GET", "/metrics", null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-type")).hasValue(io.meshlive.server.metrics.NodeMetrics.CONTENT_TYPE);
            java.util.Map<String, Double> samples = io.meshlive.server.metrics.ExpositionText.parse(r.body());
            assertThat(samples.get("meshlive_streams_publishing")).isGreaterThanOrEqualTo(1.0);
            assertThat(samples.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes"));
            assertThat(samples.get("meshlive_bytes_in_total")).isPositive();
            for (String state : java.util.List.of("on_thread", "waiting_for_thread", "waiting_for_turn")) {
                assertThat(samples).containsKey("meshlive_webrtc_dtls_handshakes{state=\"" + state + "\"}");
            }
            // No viewer joins: once the start's warm-up join is done, every DTLS handshake state reads zero.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
                java.util.Map<String, Double> now = io.meshlive.server.metrics.ExpositionText.parse(call("GET", "/metrics", null).body());
                for (String state : java.util.List.of("on_thread", "waiting_for_thread", "waiting_for_turn")) {
                    assertThat(now.get("meshlive_webrtc_dtls_handshakes{state=\"" + state + "\"}")).as(state).isEqualTo(0.0);
                }
            });
        }
    }

    @Test
    void aTokenIsRequiredWhenConfigured() throws Exception {
        try (TestServer guarded = TestServer.start(c -> c.api.token = "t0ken")) {
            String base = "http://127.0.0.1:" + guarded.httpPort() + "/api/v1/streams";
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(401);
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base)).header("Authorization", "Bearer wrong").build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(base)).header("Authorization", "Bearer t0ken").build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }
}
