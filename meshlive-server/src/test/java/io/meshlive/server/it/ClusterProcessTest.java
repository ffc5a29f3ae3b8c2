package io.meshlive.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlive.testkit.NodeProcess;
import io.meshlive.testkit.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three real node processes and a real Redis: A (origin, region west), B (core, east), C (edge,
 * east). ffmpeg publishes on A; ffprobe and players on C get the stream through B, pulled once per
 * node; {@code kill -9} of B leaves every viewer on C connected (C moves to A), and the longest gap
 * each saw is printed.
 */
class ClusterProcessTest {
    private static final String HOST = "127.0.0.1";
    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private RedisServer redis;
    private Path dir;

    @BeforeEach
    void start() throws IOException {
        redis = RedisServer.start();
        dir = Files.createTempDirectory("meshlive-cluster");
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        redis.close();
    }

    private NodeProcess node(String id, String region, String role) {
        String yaml = "cluster:\n"
                + "  store: " + redis.uri() + "\n"
                + "  secret: process-test-secret\n"
                + "  nodeId: " + id + "\n"
                + "  region: " + region + "\n"
                + "  roles: [" + role + "]\n"
                + "  relayPort: 0\n"
                + "  parentTimeoutMs: 1000\n"; // generous: this test checks that viewers stay, on a busy machine
        NodeProcess n = NodeProcess.start(id, yaml, System.getProperty("java.class.path"), dir);
        open.add(n);
        return n;
    }

    private JsonNode api(NodeProcess n, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + n.httpPort() + path))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s on %s: %s", path, n, r.body()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }

    /** Relay sessions pulling {@code live/stream} into node {@code n}, from its API. */
    private long pulls(NodeProcess n, String stream) throws IOException, InterruptedException {
        long count = 0;
        for (JsonNode s : api(n, "/api/v1/sessions").path("sessions")) {
            if ("relay".equals(s.path("protocol").asText()) && ("live/" + stream).equals(s.path("stream").asText())) {
                count++;
            }
        }
        return count;
    }

    private static String rtmp(NodeProcess n, String stream) {
        return "rtmp://" + HOST + ":" + n.rtmpPort() + "/live/" + stream;
    }

    private static String flv(NodeProcess n, String stream) {
        return "http://" + HOST + ":" + n.httpPort() + "/live/" + stream + ".flv";
    }

    @Test
    void anEdgeServesEveryViewerFromOnePullAndKeepsThemWhenItsParentIsKilled() throws Exception {
        NodeProcess a = node("a", "west", "origin");
        NodeProcess b = node("b", "east", "core");
        NodeProcess c = node("c", "east", "edge");
        ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), rtmp(a, "show"));
        open.add(publisher);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().failFast("publisher exited", () -> !publisher.isAlive())
                .until(() -> api(a, "/api/v1/streams").path("streams").path(0).path("publishing").asBoolean());

        List<Ffmpeg.ProbedStream> rtmpProbe = Ffmpeg.probe(rtmp(c, "show"));
        List<Ffmpeg.ProbedStream> flvProbe = Ffmpeg.probe(flv(c, "show"));
        assertThat(rtmpProbe).extracting(Ffmpeg.ProbedStream::codec).contains("h264", "aac");
        assertThat(flvProbe).extracting(Ffmpeg.ProbedStream::codec).contains("h264", "aac");

        List<FlvWatcher> viewers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            FlvWatcher w = FlvWatcher.start(HOST, c.httpPort(), "show");
            open.add(w);
            viewers.add(w);
        }
        ExternalProcess rtmpViewer = Ffmpeg.play(rtmp(c, "show"));
        open.add(rtmpViewer);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> viewers.stream().allMatch(w -> w.videoFrames() > 60));
        // One pull per stream per node, however many viewers: C from B, B from A, none into A.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> "b".equals(api(c, "/api/v1/cluster/relays").path("relays").path(0).path("parent").asText()));
        assertThat(pulls(c, "show")).isEqualTo(1);
        assertThat(pulls(b, "show")).isEqualTo(1);
        assertThat(pulls(a, "show")).isZero();
        assertThat(api(c, "/api/v1/cluster/relays").path("relays").path(0).path("parent").asText()).isEqualTo("b");

        long[] before = viewers.stream().mapToLong(FlvWatcher::videoFrames).toArray();
        b.kill();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            for (int i = 0; i < viewers.size(); i++) {
                if (viewers.get(i).videoFrames() < before[i] + 90) {
                    return false;
                }
            }
            return true;
        });
        for (FlvWatcher w : viewers) {
            assertThat(w.isEnded()).as("%s", w).isFalse();
        }
        assertThat(rtmpViewer.isAlive()).as("the RTMP viewer on C: %s", rtmpViewer.describe()).isTrue();
        assertThat(pulls(c, "show")).isEqualTo(1);
        assertThat(api(c, "/api/v1/cluster/relays").path("relays").path(0).path("parent").asText()).isEqualTo("a");
        System.out.printf("kill -9 of the middle node: longest gap per HTTP-FLV viewer on the edge: %s ms%n",
                viewers.stream().map(w -> String.valueOf(w.maxGapMillis())).toList());
        System.out.println("edge after failover: " + api(c, "/api/v1/cluster/relays").path("relays").path(0));
    }
}
