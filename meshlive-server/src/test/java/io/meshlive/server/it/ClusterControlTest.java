package io.meshlive.server.it;

import io.meshlive.testkit.Http1Clients;
import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlive.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The control plane with real nodes sharing a real redis-server: nodes see each other and a closed
 * one leaves; a forbid posted on one node cuts an ffmpeg publisher on another and is refused on a
 * third; a kick crosses nodes; Redis stopped during playback stops nothing, and the nodes
 * re-register and re-seed the forbid list when it is back.
 */
@Timeout(180)
class ClusterControlTest {
    private static final HttpClient HTTP = Http1Clients.builder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RedisServer redis;
    private final List<TestServer> nodes = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void emptyRedis() {
        if (!redis.running()) {
            redis.restart();
        }
        redis.flushAll();
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(TestServer::close);
    }

    private TestServer node(String id, Path dataDir) throws Exception {
        TestServer s = TestServer.start(c -> {
            c.cluster.store = redis.uri();
            c.cluster.nodeId = id;
            c.cluster.secret = "cluster-secret";
            c.cluster.region = "r-" + id;
            c.cluster.relayPort = 0;
            c.webrtc.iceTcp = false; // no WebRTC here: spares a second bind on the UDP port picked (taken by another process at times)
            if (dataDir != null) {
                c.dataDir = dataDir.toString();
            }
        });
        nodes.add(s);
        return s;
    }

    private TestServer node(String id) throws Exception {
        return node(id, null);
    }

    private static HttpResponse<String> call(TestServer on, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on.httpPort() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Set<String> listedNodes(TestServer on) throws Exception {
        HttpResponse<String> r = call(on, "GET", "/api/v1/cluster/nodes", null);
        if (r.statusCode() != 200) {
            return Set.of("answered " + r.statusCode());
        }
        Set<String> ids = new TreeSet<>();
        JSON.readTree(r.body()).path("nodes").forEach(n -> ids.add(n.path("id").asText()));
        return ids;
    }

    private static boolean forbidden(TestServer on, String stream) throws Exception {
        for (JsonNode f : on.api("/api/v1/forbidden").path("forbidden")) {
            if (f.path("stream").asText().equals(stream)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void nodesSeeEachOtherAndAClosedNodeLeavesWithinTheTtl() throws Exception {
        TestServer a = node("a");
        TestServer b = node("b");
        TestServer c = node("c");
        await().atMost(Duration.ofSeconds(10)).until(() -> listedNodes(a).equals(Set.of("a", "b", "c")) && listedNodes(c).equals(Set.of("a", "b", "c")));
        JsonNode listed = a.api("/api/v1/cluster/nodes").path("nodes");
        JsonNode first = listed.get(0);
        assertThat(first.path("id").asText()).isEqualTo("a");
        assertThat(first.path("self").asBoolean()).isTrue();
        assertThat(first.path("region").asText()).isEqualTo("r-a");
        assertThat(first.path("addresses").path("http").asText()).isEqualTo("127.0.0.1:" + a.httpPort());
        assertThat(first.path("addresses").path("rtmp").asText()).isEqualTo("127.0.0.1:" + a.rtmpPort());
        assertThat(first.path("load").has("viewers")).isTrue();
        assertThat(first.path("load").path("capacityBitsPerSecond").asLong()).isEqualTo(1_000_000_000L);
        assertThat(listed.get(1).path("self").asBoolean()).isFalse();

        long closed = System.nanoTime();
        c.close();
        nodes.remove(c);
        await().atMost(Duration.ofSeconds(10)).until(() -> listedNodes(b).equals(Set.of("a", "b")));
        System.out.printf("a closed node left /cluster/nodes after %d ms (TTL 3000 ms)%n", (System.nanoTime() - closed) / 1_000_000);
    }

    @Test
    void aForbidPostedOnOneNodeCutsAPublisherOnAnotherAndIsRefusedOnAThird() throws Exception {
        TestServer a = node("a");
        TestServer b = node("b");
        TestServer c = node("c");
        String stream = "banned";
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), a.rtmpUrl(stream))) {
            a.awaitLive(stream, publisher);
            try (FlvWatcher viewer = FlvWatcher.start(a, stream)) {
                await().atMost(Duration.ofSeconds(5)).until(() -> viewer.videoFrames() > 0);
                long t0 = System.nanoTime();
                HttpResponse<String> r = call(c, "POST", "/api/v1/streams/live/" + stream + "/forbid", "{\"reason\":\"rights\"}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(publisher.exitsWithin(Duration.ofSeconds(10))).as("publisher on a cut: %s", publisher.describe()).isTrue();
                System.out.printf("forbid posted on c -> ffmpeg publisher on a gone: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
                assertThat(viewer.awaitEnd(Duration.ofSeconds(5))).as("viewer on a cut").isGreaterThanOrEqualTo(0);
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> forbidden(b, stream));
        try (ExternalProcess again = Ffmpeg.publish(TestPattern.live(), b.rtmpUrl(stream))) {
            assertThat(again.exitsWithin(Duration.ofSeconds(10))).as("republish on b refused: %s", again.describe()).isTrue();
            assertThat(b.stream(stream)).isNull();
        }

        assertThat(call(a, "DELETE", "/api/v1/streams/live/" + stream + "/forbid", null).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(5)).until(() -> !forbidden(b, stream) && !forbidden(c, stream));
        try (ExternalProcess back = Ffmpeg.publish(TestPattern.live(), b.rtmpUrl(stream))) {
            b.awaitLive(stream, back);
        }
    }

    @Test
    void aSessionIsKickedFromAnotherNode() throws Exception {
        TestServer a = node("a");
        TestServer b = node("b");
        await().atMost(Duration.ofSeconds(10)).until(() -> listedNodes(b).equals(Set.of("a", "b")));
        String stream = "kicked";
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), a.rtmpUrl(stream))) {
            a.awaitLive(stream, publisher);
            long id = a.stream(stream).publisher().id();
            assertThat(call(b, "DELETE", "/api/v1/cluster/sessions/nobody/" + id, null).statusCode()).isEqualTo(404);
            HttpResponse<String> r = call(b, "DELETE", "/api/v1/cluster/sessions/a/" + id, null);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            assertThat(publisher.exitsWithin(Duration.ofSeconds(10))).as("kicked publisher: %s", publisher.describe()).isTrue();
        }
    }

    @Test
    void redisStoppedDuringPlaybackStopsNothingAndNodesComeBackWithTheirForbids() throws Exception {
        Path dataA = Files.createTempDirectory("meshlive-node-a");
        TestServer a = node("a", dataA);
        TestServer b = node("b");
        await().atMost(Duration.ofSeconds(10)).until(() -> listedNodes(b).equals(Set.of("a", "b")));
        assertThat(call(b, "POST", "/api/v1/streams/live/before/forbid", "{\"reason\":\"kept\"}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> forbidden(a, "before"));

        String stream = "show";
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), a.rtmpUrl(stream))) {
            a.awaitLive(stream, publisher);
            try (FlvWatcher viewer = FlvWatcher.start(a, stream);
                 ExternalProcess rtmpViewer = Ffmpeg.play(a.rtmpUrl(stream))) {
                await().atMost(Duration.ofSeconds(5)).until(() -> viewer.videoFrames() > 0);

                redis.stop();
                await().atMost(Duration.ofSeconds(10)).until(() -> call(a, "GET", "/api/v1/cluster/nodes", null).statusCode() == 503);
                HttpResponse<String> refused = call(a, "POST", "/api/v1/streams/live/during/forbid", "{}");
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                assertThat(refused.body()).contains("nothing changed");
                long framesAtOutage = viewer.videoFrames();
                await().atMost(Duration.ofSeconds(15)).until(() -> viewer.videoFrames() >= framesAtOutage + 50); // 2 s of 25 fps
                try (ExternalProcess forbiddenPublish = Ffmpeg.publish(TestPattern.live(), b.rtmpUrl("before"))) {
                    assertThat(forbiddenPublish.exitsWithin(Duration.ofSeconds(10))).as("forbid still enforced while Redis is down: %s",
                            forbiddenPublish.describe()).isTrue();
                }
                assertThat(viewer.isEnded()).as("HTTP-FLV viewer through the outage: %s", viewer.endReason()).isFalse();
                assertThat(rtmpViewer.isAlive()).as("RTMP viewer (ffmpeg) through the outage: %s", rtmpViewer.describe()).isTrue();
                assertThat(publisher.isAlive()).as("publisher through the outage: %s", publisher.describe()).isTrue();

                redis.restart(); // empty: no persistence
                await().atMost(Duration.ofSeconds(15)).until(() -> listedNodes(b).equals(Set.of("a", "b")));
                assertThat(viewer.isEnded()).isFalse();
                System.out.printf("HTTP-FLV viewer through the Redis outage: longest gap between tags %d ms%n", viewer.maxGapMillis());
            }
        }
        // The store came back empty; the nodes gave it their copy, so the forbid still holds everywhere and a new one works.
        HttpResponse<String> after = call(a, "POST", "/api/v1/streams/live/after/forbid", "{}");
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> forbidden(b, "after") && forbidden(b, "before") && forbidden(a, "before"));

        // A node restarted (same data directory) keeps the list too.
        a.close();
        nodes.remove(a);
        TestServer again = node("a", dataA);
        assertThat(forbidden(again, "before")).isTrue();
        assertThat(forbidden(again, "after")).isTrue();
    }
}
