package io.meshlive.server.it;

import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import io.meshlive.testkit.NodeProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
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
    private static final String HOST = ProcessCluster.HOST;
    private ProcessCluster cluster;

    @BeforeEach
    void start() throws IOException {
        // parentTimeoutMs generous: this test checks that viewers stay, on a busy machine
        cluster = new ProcessCluster("process-test-secret", "  parentTimeoutMs: 1000\n");
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    /** Relay sessions pulling {@code live/stream} into node {@code n}, from its API. */
    private long pulls(NodeProcess n, String stream) throws IOException, InterruptedException {
        long count = 0;
        for (JsonNode s : cluster.api(n, "/api/v1/sessions").path("sessions")) {
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
        NodeProcess a = cluster.node("a", "west", "origin");
        NodeProcess b = cluster.node("b", "east", "core");
        NodeProcess c = cluster.node("c", "east", "edge");
        ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), rtmp(a, "show"));
        cluster.add(publisher);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().failFast("publisher exited", () -> !publisher.isAlive())
                .until(() -> cluster.api(a, "/api/v1/streams").path("streams").path(0).path("publishing").asBoolean());

        List<Ffmpeg.ProbedStream> rtmpProbe = Ffmpeg.probe(rtmp(c, "show"));
        List<Ffmpeg.ProbedStream> flvProbe = Ffmpeg.probe(flv(c, "show"));
        assertThat(rtmpProbe).extracting(Ffmpeg.ProbedStream::codec).contains("h264", "aac");
        assertThat(flvProbe).extracting(Ffmpeg.ProbedStream::codec).contains("h264", "aac");

        List<FlvWatcher> viewers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            FlvWatcher w = FlvWatcher.start(HOST, c.httpPort(), "show");
            cluster.add(w);
            viewers.add(w);
        }
        ExternalProcess rtmpViewer = Ffmpeg.play(rtmp(c, "show"));
        cluster.add(rtmpViewer);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> viewers.stream().allMatch(w -> w.videoFrames() > 60));
        // One pull per stream per node, however many viewers: C from B, B from A, none into A.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> "b".equals(cluster.api(c, "/api/v1/cluster/relays").path("relays").path(0).path("parent").asText()));
        assertThat(pulls(c, "show")).isEqualTo(1);
        assertThat(pulls(b, "show")).isEqualTo(1);
        assertThat(pulls(a, "show")).isZero();
        assertThat(cluster.api(c, "/api/v1/cluster/relays").path("relays").path(0).path("parent").asText()).isEqualTo("b");

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
        assertThat(cluster.api(c, "/api/v1/cluster/relays").path("relays").path(0).path("parent").asText()).isEqualTo("a");
        System.out.printf("kill -9 of the middle node: longest gap per HTTP-FLV viewer on the edge: %s ms%n",
                viewers.stream().map(w -> String.valueOf(w.maxGapMillis())).toList());
        System.out.println("edge after failover: " + cluster.api(c, "/api/v1/cluster/relays").path("relays").path(0));
    }
}
