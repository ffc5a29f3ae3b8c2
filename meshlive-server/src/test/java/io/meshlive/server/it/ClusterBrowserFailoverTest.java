package io.meshlive.server.it;

import io.meshlive.testkit.Http1Clients;
import com.fasterxml.jackson.databind.JsonNode;
import io.meshlive.testkit.ExternalProcess;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.NodeProcess;
import io.meshlive.testkit.TestPattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Browsers through a failover: three real node processes on a real Redis, A (origin, west) →
 * B (core, east) → C (edge, east). ffmpeg publishes on A; an HTTP-FLV viewer on C makes C pull it, and
 * Chromium plays C's stream over WHEP
 * ({@code whep.html}) and over LL-HLS with hls.js ({@code hls.html}, lowLatencyMode). {@code kill -9}
 * of B while they play: both keep playing (C moves to A), and the longest pause between presented
 * frames each page saw after the kill (the pages' {@code longFrameGaps}, from
 * requestVideoFrameCallback) is printed: the failover gap a viewer sees, target ≤ 500 ms.
 */
@Timeout(300)
class ClusterBrowserFailoverTest {
    private static final String HOST = ProcessCluster.HOST;
    private static final String STREAM = "show";
    /** Long enough for start-up on a busy machine, the kill, and the seconds of playing after it. */
    private static final int PLAY_SECONDS = 150;
    /** Frames (30 fps) each page must present after the kill: several seconds of playing on. */
    private static final int FRAMES_AFTER_KILL = 150;
    /** The pauses reported are those overlapping this long after the kill (and, for comparison, before it). */
    private static final long GAP_WINDOW_MILLIS = 5000;
    private final HttpClient http = Http1Clients.builder().followRedirects(HttpClient.Redirect.NORMAL).build();
    private ProcessCluster cluster;

    @BeforeEach
    void start() throws IOException {
        // The default parentTimeoutMs (300): the gap printed is what a viewer of a default fleet sees.
        cluster = new ProcessCluster("browser-failover-secret", "");
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void whepAndLlHlsViewersOnTheEdgePlayOnWhenTheMiddleNodeIsKilled() throws Exception {
        NodeProcess a = cluster.node("a", "west", "origin");
        NodeProcess b = cluster.node("b", "east", "core");
        NodeProcess c = cluster.node("c", "east", "edge");
        // Keyframes every second: LL-HLS segments of 1 s, and a WebRTC viewer's PLI answered within one.
        ExternalProcess publisher = cluster.add(Ffmpeg.publish(TestPattern.live().withGop(TestPattern.FPS),
                "rtmp://" + HOST + ":" + a.rtmpPort() + "/live/" + STREAM));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().failFast("publisher exited", () -> !publisher.isAlive())
                .until(() -> cluster.api(a, "/api/v1/streams").path("streams").path(0).path("publishing").asBoolean());

        // An HTTP-FLV viewer on C makes it pull (through B): an HLS request alone does not start a pull today.
        FlvWatcher flvViewer = cluster.add(FlvWatcher.start(HOST, c.httpPort(), STREAM));
        await().atMost(Duration.ofSeconds(60)).until(() -> flvViewer.videoFrames() > 30);
        String base = "http://" + HOST + ":" + c.httpPort();
        String playlist = base + "/live/" + STREAM + "/index.m3u8";
        // hls.js starts on an established window: C's LL-HLS packager (pulling through B) holds a few segments.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(playlist)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().split("#EXTINF", -1).length > 3;
        });
        String whep = base + "/console/whep.html?src=" + URLEncoder.encode(base + "/live/" + STREAM + "/whep", StandardCharsets.UTF_8);
        String hls = base + "/console/hls.html?src=" + URLEncoder.encode(playlist, StandardCharsets.UTF_8) + "&low=1";
        BrowserPage whepPage = cluster.add(BrowserPage.open("whep-failover", whep, PLAY_SECONDS, cluster.dir().resolve("whep-profile")));
        BrowserPage hlsPage = cluster.add(BrowserPage.open("hlsjs-failover", hls, PLAY_SECONDS, cluster.dir().resolve("hls-profile")));
        // Both settled (past hls.js's start-up stall) before the kill: about 5 s of pictures each.
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> whepFrames(whepPage) > 150 && hlsFrames(hlsPage) > 150);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> "b".equals(parentOf(c)));

        JsonNode whepBefore = whepPage.latest();
        JsonNode hlsBefore = hlsPage.latest();
        long killedAt = System.currentTimeMillis();
        b.kill();
        // Played on: many frames since, and playing at that moment (a busy machine may make hls.js
        // rebuffer for a moment at any time; a viewer that stays connected plays again).
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                whepFrames(whepPage) > whepBefore.path("framesDecoded").asLong() + FRAMES_AFTER_KILL
                        && hlsFrames(hlsPage) > hlsBefore.path("frames").asLong() + FRAMES_AFTER_KILL
                        && hlsPage.latest().path("playing").asBoolean());
        assertThat(parentOf(c)).as("C's parent after B was killed").isEqualTo("a");

        JsonNode whepAfter = whepPage.latest();
        JsonNode hlsAfter = hlsPage.latest();
        System.out.println("WHEP on C, before and after the kill:\n" + whepBefore + "\n" + whepAfter);
        System.out.println("hls.js LL-HLS on C, before and after the kill:\n" + hlsBefore + "\n" + hlsAfter);
        assertThat(whepAfter.path("error").isNull()).as("no WHEP page error: %s", whepAfter).isTrue();
        assertThat(whepAfter.path("connected").asBoolean()).as("WHEP still connected: %s", whepAfter).isTrue();
        assertThat(hlsAfter.path("error").isNull()).as("no hls.js error: %s", hlsAfter).isTrue();
        assertThat(hlsAfter.path("playing").asBoolean()).as("hls.js still playing: %s", hlsAfter).isTrue();
        // 150 frames at 30 fps: the media clock moved on by about 5 s too.
        assertThat(hlsAfter.path("currentTime").asDouble() - hlsBefore.path("currentTime").asDouble())
                .as("hls.js currentTime advanced after the kill").isGreaterThan(3.0);
        assertThat(flvViewer.isEnded()).as("the HTTP-FLV viewer on C: %s", flvViewer).isFalse();
        assertThat(pulls(c)).as("C pulls the stream once").isEqualTo(1);

        long whepGap = longestGap(whepAfter, killedAt, killedAt + GAP_WINDOW_MILLIS);
        long hlsGap = longestGap(hlsAfter, killedAt, killedAt + GAP_WINDOW_MILLIS);
        System.out.printf("kill -9 of the middle node: longest pause between presented frames on the edge in the %d s "
                        + "after the kill (requestVideoFrameCallback; 0 = none over 100 ms): WHEP %d ms, LL-HLS (hls.js) %d ms; "
                        + "in the %d s before it (this machine's own jitter): WHEP %d ms, LL-HLS %d ms; "
                        + "hls.js latency %s s, %s s buffered at the kill%n",
                GAP_WINDOW_MILLIS / 1000, whepGap, hlsGap, GAP_WINDOW_MILLIS / 1000,
                longestGap(whepAfter, killedAt - GAP_WINDOW_MILLIS, killedAt), longestGap(hlsAfter, killedAt - GAP_WINDOW_MILLIS, killedAt),
                hlsBefore.path("latency"), hlsBefore.path("buffered"));
        // The figure is the measurement (target 500 ms); this bound only says the viewer was not left frozen.
        assertThat(whepGap).as("WHEP pause after the kill, ms").isLessThan(5000);
        assertThat(hlsGap).as("LL-HLS pause after the kill, ms").isLessThan(5000);
    }

    /** The longest pause over 100 ms a page saw, of those overlapping [{@code from}, {@code to}] (epoch ms); 0 if none. */
    private static long longestGap(JsonNode sample, long from, long to) {
        long longest = 0;
        for (JsonNode g : sample.path("longFrameGaps")) {
            long ended = g.path("endedAt").asLong();
            if (ended >= from && ended - g.path("ms").asLong() <= to) {
                longest = Math.max(longest, g.path("ms").asLong());
            }
        }
        return longest;
    }

    private static long whepFrames(BrowserPage page) throws IOException {
        JsonNode s = page.latest();
        return s == null ? 0 : s.path("framesDecoded").asLong();
    }

    private static long hlsFrames(BrowserPage page) throws IOException {
        JsonNode s = page.latest();
        return s == null ? 0 : s.path("frames").asLong();
    }

    private String parentOf(NodeProcess n) throws IOException, InterruptedException {
        return cluster.api(n, "/api/v1/cluster/relays").path("relays").path(0).path("parent").asText();
    }

    /** Relay sessions pulling the stream into {@code n}, from its API. */
    private long pulls(NodeProcess n) throws IOException, InterruptedException {
        return java.util.stream.StreamSupport.stream(cluster.api(n, "/api/v1/sessions").path("sessions").spliterator(), false)
                .filter(s -> "relay".equals(s.path("protocol").asText()) && ("live/" + STREAM).equals(s.path("stream").asText()))
                .count();
    }
}
