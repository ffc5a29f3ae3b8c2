package io.meshlive.server.it;

import io.meshlive.testkit.Http1Clients;
import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlive.cluster.brain.LinkReport;
import io.meshlive.cluster.brain.Route;
import io.meshlive.cluster.store.ControlStore;
import io.meshlive.cluster.store.RedisControlStore;
import io.meshlive.testkit.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three real nodes with {@code cluster.planner: brain} over a real redis-server: their quality
 * agents probe each other and report every link, the schedule API ranks the nodes for a viewer by
 * its region (from {@code client}, or X-Forwarded-For behind a trusted proxy), and once a viewer on
 * the edge plays a stream published on the origin, the leading brain publishes a route for it.
 */
@Timeout(180)
class BrainClusterTest {
    private static final HttpClient HTTP = Http1Clients.builder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RedisServer redis = RedisServer.start();
    private final List<AutoCloseable> open = new ArrayList<>();
    @TempDir
    Path profile;

    @AfterEach
    void stopAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        redis.close();
    }

    private TestServer node(String id, String region, String role) throws InterruptedException {
        TestServer s = TestServer.start(c -> {
            c.cluster.store = redis.uri();
            c.cluster.secret = "brain-secret";
            c.cluster.nodeId = id;
            c.cluster.region = region;
            c.cluster.roles = new ArrayList<>(List.of(role));
            c.cluster.relayPort = 0;
            c.cluster.planner = "brain";
            c.cluster.schedule.regions = Map.of("10.1.0.0/16", "west", "10.3.0.0/16", "east");
            c.cluster.schedule.trustedProxies = List.of("127.0.0.1");
            // On loopback every link measures well under a millisecond: the operator's table says how far regions are.
            c.cluster.schedule.regionDelayMs = Map.of("west/mid", 20.0, "mid/east", 20.0, "west/east", 40.0);
            c.webrtc.iceTcp = false;
        });
        open.add(s);
        return s;
    }

    private static HttpResponse<String> schedule(TestServer on, String query, String forwardedFor) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on.httpPort() + "/api/v1/schedule?" + query))
                .timeout(Duration.ofSeconds(10)).GET();
        if (forwardedFor != null) {
            b.header("X-Forwarded-For", forwardedFor);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The first schedule answer that ranks {@code node} first (see the comment where it is used). */
    private static JsonNode awaitFirst(String node, java.util.concurrent.Callable<HttpResponse<String>> ask) {
        java.util.concurrent.atomic.AtomicReference<JsonNode> last = new java.util.concurrent.atomic.AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            last.set(JSON.readTree(ask.call().body()));
            return node.equals(last.get().path("nodes").path(0).path("node").asText());
        });
        return last.get();
    }

    @Test
    void agentsMeasureEveryLinkTheScheduleRanksByRegionAndTheBrainRoutesTheEdge() throws Exception {
        TestServer a = node("a", "west", "origin");
        TestServer b = node("b", "mid", "core");
        TestServer c = node("c", "east", "edge");
        RedisControlStore store = new RedisControlStore(redis.uri());
        store.open("test");
        open.add(store);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> get(store.links()).size() == 6);
        for (LinkReport l : get(store.links())) {
            System.out.printf("link %s -> %s: rtt %.2f ms, jitter %.2f ms, loss %.3f%n", l.from(), l.to(), l.rttMillis(), l.jitterMillis(), l.loss());
        }

        // The three nodes share this JVM, so each reports the process's CPU, which a busy machine can push past a
        // node's headroom for one heartbeat and not the next: the region decides once their loads are alike.
        JsonNode east = awaitFirst("c", () -> schedule(a, "app=live&stream=show&protocol=whep&client=10.3.0.9", null));
        System.out.println("schedule for an east viewer: " + east);
        assertThat(east.path("clientRegion").asText()).isEqualTo("east");
        assertThat(east.path("nodes").get(0).path("node").asText()).isEqualTo("c");
        assertThat(east.path("nodes").get(0).path("url").asText()).isEqualTo("http://127.0.0.1:" + c.httpPort() + "/live/show/whep");
        assertThat(east.path("nodes").size()).isEqualTo(3);

        // Behind a trusted proxy (the test's loopback peer) the forwarded address says where the viewer is.
        JsonNode west = awaitFirst("a", () -> schedule(b, "app=live&stream=show&protocol=flv", "10.3.7.7, 10.1.2.3"));
        assertThat(west.path("client").asText()).isEqualTo("10.1.2.3");
        assertThat(west.path("nodes").get(0).path("node").asText()).isEqualTo("a");
        assertThat(west.path("nodes").get(0).path("url").asText()).isEqualTo("http://127.0.0.1:" + a.httpPort() + "/live/show.flv");

        HttpResponse<String> bad = schedule(c, "app=live&stream=show&protocol=carrier-pigeon", null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("allowed");
        assertThat(schedule(c, "app=live&protocol=flv", null).statusCode()).isEqualTo(400);

        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), a.rtmpUrl("show"))) {
            a.awaitLive("show", publisher);
            FlvWatcher viewer = FlvWatcher.start(c, "show");
            open.add(viewer);
            await().atMost(Duration.ofSeconds(60)).until(() -> viewer.videoFrames() > 30);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> routeOfC(store).isPresent());
            Route r = routeOfC(store).orElseThrow();
            System.out.println("the brain's route for c: " + r);
            assertThat(r.path().get(0)).isEqualTo("a");
            assertThat(r.path().get(r.path().size() - 1)).isEqualTo("c");
            // Any node shows the same picture to the console.
            JsonNode brain = b.api("/api/v1/brain");
            assertThat(brain.path("links").size()).isEqualTo(6);
            assertThat(brain.path("decisionsVersion").asLong()).isPositive();
            assertThat(brain.path("routes").findValuesAsText("node")).contains("c");

            // The console draws them: six links, each coloured, and c's route from a.
            String page = "http://127.0.0.1:" + a.httpPort() + "/";
            try (ExternalProcess dump = ExternalProcess.start("chromium-dump-dom",
                    ConsolePageTest.browser(ConsolePageTest.chromium(), profile, "--dump-dom", page))) {
                assertThat(dump.awaitExit(ConsolePageTest.BROWSER_LIMIT)).as(dump.describe()).isZero();
                String dom = dump.stdout();
                assertThat(dom.split("class=\"brain-link\" style=\"color: ", -1)).as(dom).hasSize(7);
                assertThat(dom).contains("<td>live/show</td><td>c</td><td>" + String.join(" \u2192 ", r.path()) + "</td>");
            }
        }
    }

    private static Optional<Route> routeOfC(ControlStore store) throws Exception {
        return get(store.decisions()).flatMap(d -> d.value().stream()
                .filter(r -> r.stream().equals("live/show") && r.node().equals("c")).findFirst());
    }

    private static <T> T get(java.util.concurrent.CompletionStage<T> f) throws Exception {
        return f.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
