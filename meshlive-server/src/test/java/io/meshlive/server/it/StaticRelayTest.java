package io.meshlive.server.it;

import io.meshlive.testkit.Http1Clients;
import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlive.server.ServerConfig;
import io.meshlive.cluster.staticrelay.RelaysConfig;
import io.meshlive.testkit.NginxRtmp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Static relays against real peers: a pull from nginx-rtmp and a push to it (ffprobe checks the
 * far end each time), a pull over HTTP-FLV from a second meshlive node, and a relay whose peer
 * refuses, which retries, says why, and harms nobody else.
 */
@Timeout(180)
class StaticRelayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = Http1Clients.builder().connectTimeout(Duration.ofSeconds(2)).build();

    private static NginxRtmp nginx;
    private static ExternalProcess nginxPublisher;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        nginx = NginxRtmp.start();
        nginxPublisher = Ffmpeg.publish(TestPattern.live(), nginx.url("camera"));
        server = TestServer.start(c -> {
            RelaysConfig.Pull pull = new RelaysConfig.Pull();
            pull.url = nginx.url("camera");
            pull.app = TestServer.APP;
            pull.stream = "fromnginx";
            c.relays.pulls.add(pull);
            c.relays.retryMaxSeconds = 2;
        });
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (nginxPublisher != null) {
            nginxPublisher.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void aConfiguredPullFromNginxRtmpIsALocalStreamThatFfprobeReads() throws Exception {
        server.awaitLive("fromnginx", nginxPublisher);
        assertThat(Ffmpeg.probe(server.rtmpUrl("fromnginx")))
                .as("what ffprobe finds in the pulled stream on meshlive")
                .extracting(Ffmpeg.ProbedStream::codec).containsExactlyInAnyOrder("h264", "aac");
        JsonNode relay = relayFor("fromnginx");
        assertThat(relay.path("kind").asText()).isEqualTo("pull");
        assertThat(relay.path("state").asText()).isEqualTo("running");
        assertThat(relay.path("bytes").asLong()).isPositive();
        assertThat(server.stream("fromnginx").publisher().protocol()).isEqualTo("rtmp-pull");
    }

    @Test
    void aPushToNginxRtmpFollowsThePublisherAndFfprobeReadsTheFarEnd() throws Exception {
        JsonNode push = post("{\"kind\":\"push\",\"app\":\"live\",\"stream\":\"restream\",\"url\":\"" + nginx.url("frommeshlive") + "\"}");
        String id = push.path("id").asText();
        assertThat(push.path("state").asText()).as("a push with no publisher yet waits").isEqualTo("idle");
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl("restream"))) {
            server.awaitLive("restream", publisher);
            await("push running").atMost(Duration.ofSeconds(15)).until(() -> "running".equals(relay(id).path("state").asText()));
            assertThat(Ffmpeg.probe(nginx.url("frommeshlive")))
                    .as("what ffprobe finds on nginx-rtmp, pushed by meshlive; nginx log: %s", nginx.log())
                    .extracting(Ffmpeg.ProbedStream::codec).containsExactlyInAnyOrder("h264", "aac");
        }
        await("push idle once its publisher left").atMost(Duration.ofSeconds(10))
                .until(() -> "idle".equals(relay(id).path("state").asText()));
        delete(id);
    }

    @Test
    void aPullOverHttpFlvFromAnotherMeshliveNode() throws Exception {
        try (TestServer origin = TestServer.start();
             ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), origin.rtmpUrl("show"))) {
            origin.awaitLive("show", publisher);
            String id = post("{\"kind\":\"pull\",\"url\":\"" + origin.flvUrl("show") + "\",\"app\":\"live\",\"stream\":\"viaflv\"}")
                    .path("id").asText();
            server.awaitLive("viaflv", publisher);
            assertThat(Ffmpeg.probe(server.flvUrl("viaflv")))
                    .as("what ffprobe finds on the pulling node")
                    .extracting(Ffmpeg.ProbedStream::codec).containsExactlyInAnyOrder("h264", "aac");
            assertThat(relay(id).path("state").asText()).isEqualTo("running");
            assertThat(server.stream("viaflv").publisher().protocol()).isEqualTo("flv-pull");
            delete(id);
            await("the pull's stream loses its publisher once the relay is deleted").atMost(Duration.ofSeconds(5))
                    .until(() -> server.stream("viaflv") == null || server.stream("viaflv").publisher() == null);
        }
    }

    @Test
    void aRefusedPeerIsRetriedWithItsReasonAndTheStreamsViewersAreUnharmed() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl("busy"))) {
            server.awaitLive("busy", publisher);
            try (FlvWatcher viewer = FlvWatcher.start(server, "busy")) {
                String push = post("{\"kind\":\"push\",\"app\":\"live\",\"stream\":\"busy\",\"url\":\"rtmp://127.0.0.1:" + closedPort + "/live/x\"}")
                        .path("id").asText();
                String pull = post("{\"kind\":\"pull\",\"url\":\"rtmp://127.0.0.1:" + closedPort + "/live/x\",\"app\":\"live\",\"stream\":\"nothing\"}")
                        .path("id").asText();
                for (String id : new String[] {push, pull}) {
                    await(id + " retrying").atMost(Duration.ofSeconds(10)).until(() -> relay(id).path("failures").asInt() >= 2);
                    JsonNode status = relay(id);
                    System.out.println("refused relay: " + status);
                    assertThat(status.path("state").asText()).isIn("retrying", "connecting");
                    assertThat(status.path("error").asText()).contains("connect to 127.0.0.1:" + closedPort + " failed").contains("refused");
                }
                long before = viewer.videoFrames();
                await("the stream's viewer still receives").atMost(Duration.ofSeconds(5)).until(() -> viewer.videoFrames() > before + 30);
                delete(push);
                delete(pull);
            }
        }
        assertThat(server.stream("nothing")).as("a pull that never connected claimed no stream").isNull();
    }

    @Test
    void aForbiddenStreamIsNotPulledUntilTheForbidIsLifted() throws Exception {
        String id = post("{\"kind\":\"pull\",\"url\":\"" + nginx.url("camera") + "\",\"app\":\"live\",\"stream\":\"forbidme\"}")
                .path("id").asText();
        server.awaitLive("forbidme", nginxPublisher);
        HttpResponse<String> forbid = HTTP.send(request("/api/v1/streams/live/forbidme/forbid")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"test\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forbid.statusCode()).as(forbid.body()).isEqualTo(200);
        await("the pull refused by the forbid").atMost(Duration.ofSeconds(10))
                .until(() -> relay(id).path("error").asText().startsWith("publish refused: forbidden"));
        assertThat(server.stream("forbidme") == null || server.stream("forbidme").publisher() == null)
                .as("nobody publishes a forbidden stream").isTrue();
        HTTP.send(request("/api/v1/streams/live/forbidme/forbid").DELETE().build(), HttpResponse.BodyHandlers.ofString());
        await("the pull back once the forbid is lifted").atMost(Duration.ofSeconds(15))
                .until(() -> "running".equals(relay(id).path("state").asText()));
        delete(id);
    }

    @Test
    void anHttpsPullChecksTheCertificate(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        TestCertificate cert = TestCertificate.make(dir);
        try (TestServer origin = TestServer.start(c -> {
            c.http.tls.port = 0;
            c.http.tls.certFile = cert.certFile().toString();
            c.http.tls.keyFile = cert.keyFile().toString();
        })) {
            String url = "https://127.0.0.1:" + origin.httpsPort() + "/live/show.flv";
            String id = post("{\"kind\":\"pull\",\"url\":\"" + url + "\",\"app\":\"live\",\"stream\":\"selfsigned\"}").path("id").asText();
            await("the self-signed certificate refused").atMost(Duration.ofSeconds(15))
                    .until(() -> relay(id).path("failures").asInt() >= 1);
            System.out.println("https pull of a self-signed origin: " + relay(id));
            assertThat(relay(id).path("error").asText()).containsIgnoringCase("certificat");
            delete(id);
        }
    }

    @Test
    void theApiRefusesABadRelayNamingTheField() throws Exception {
        HttpResponse<String> r = send("POST", "{\"kind\":\"pull\",\"url\":\"rtmp://host-only\",\"app\":\"live\",\"stream\":\"a\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("url: URL 'rtmp://host-only' is not rtmp://host[:port]/app/stream");
        assertThat(send("POST", "{\"kind\":\"mirror\"}").body()).contains("kind: 'pull' or 'push'");
        HttpResponse<String> missing = HTTP.send(request("/api/v1/relays/pull-999999").DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    private static JsonNode relayFor(String stream) throws IOException, InterruptedException {
        for (JsonNode r : server.api("/api/v1/relays").path("relays")) {
            if (stream.equals(r.path("stream").asText())) {
                return r;
            }
        }
        throw new AssertionError("no relay for " + stream + " in " + server.api("/api/v1/relays"));
    }

    private static JsonNode relay(String id) throws IOException, InterruptedException {
        return server.api("/api/v1/relays/" + id);
    }

    private static JsonNode post(String body) throws IOException, InterruptedException {
        HttpResponse<String> r = send("POST", body);
        assertThat(r.statusCode()).as("POST /api/v1/relays %s: %s", body, r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }

    private static void delete(String id) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(request("/api/v1/relays/" + id).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("DELETE relay %s: %s", id, r.body()).isEqualTo(204);
    }

    private static HttpResponse<String> send(String method, String body) throws IOException, InterruptedException {
        return HTTP.send(request("/api/v1/relays").method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path) {
        // Generous: the machine running the tests may be busy; a slow answer is not what these tests are about.
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path)).timeout(Duration.ofSeconds(30));
    }
}
