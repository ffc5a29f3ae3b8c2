package io.meshlive.server.it;

import io.meshlive.testkit.Http1Clients;
import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import io.meshlive.server.config.TranscodeConfig;
import com.fasterxml.jackson.databind.JsonNode;
import io.meshlive.server.ServerConfig;
import io.meshlive.testkit.Ffmpeg.ProbedStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 720p30 source published by ffmpeg is transcoded to a 720p/480p/360p ladder (openh264), each
 * rendition its own stream that real clients play: ffprobe over HTTP-FLV, and the HLS master
 * playlists that list them; keyframes line up across the renditions; the API and the metrics show
 * each rendition's frame rate and transcode delay; the ladder stops with its publisher.
 */
@Timeout(120)
class LadderTest {
    private static final Map<String, int[]> LADDER = new LinkedHashMap<>();

    static {
        LADDER.put("720p", new int[] {1280, 720, 2500});
        LADDER.put("480p", new int[] {854, 480, 1200});
        LADDER.put("360p", new int[] {640, 360, 700});
    }

    private static TestServer server;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start(c -> {
            TranscodeConfig.Ladder ladder = new TranscodeConfig.Ladder();
            LADDER.forEach((name, size) -> {
                TranscodeConfig.Rendition r = new TranscodeConfig.Rendition();
                r.name = name;
                r.width = size[0];
                r.height = size[1];
                r.bitrateKbps = size[2];
                ladder.renditions.add(r);
            });
            c.transcode.apps.put(TestServer.APP, ladder);
        });
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aLadderOfAlignedRenditionsPlaysOverEveryProtocolAndIsMeasured() throws Exception {
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live().withSize(1280, 720), server.rtmpUrl("shop"))) {
            server.awaitLive("shop", publisher);
            for (String name : LADDER.keySet()) {
                server.awaitLive("shop_" + name, publisher);
            }

            LADDER.forEach((name, size) -> assertThat(Ffmpeg.probe(server.flvUrl("shop_" + name)))
                    .as("rendition %s over HTTP-FLV", name)
                    .contains(new ProbedStream("video", "h264", size[0], size[1]))
                    .anyMatch(s -> s.type().equals("audio") && s.codec().equals("aac")));

            assertAlignedKeyframes();
            assertMasterPlaylists();
            assertMeasured();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (String name : LADDER.keySet()) {
                var s = server.stream("shop_" + name);
                assertThat(s == null || s.publisher() == null).as("rendition %s stops with its source", name).isTrue();
            }
            assertThat(server.api("/api/v1/transcoders").path("transcoders")).isEmpty();
        });
    }

    /** ffprobe reads 6 s of every rendition at once; the keyframe times they share must be the same. */
    private static void assertAlignedKeyframes() {
        Map<String, CompletableFuture<List<Double>>> probes = new LinkedHashMap<>();
        for (String name : LADDER.keySet()) {
            probes.put(name, CompletableFuture.supplyAsync(() -> Ffmpeg.keyframeTimes(server.flvUrl("shop_" + name), 6)));
        }
        Map<String, List<Double>> times = new LinkedHashMap<>();
        probes.forEach((name, f) -> times.put(name, f.join()));
        double from = times.values().stream().mapToDouble(t -> t.get(0)).max().orElseThrow();
        double to = times.values().stream().mapToDouble(t -> t.get(t.size() - 1)).min().orElseThrow();
        Map<String, List<Double>> shared = new LinkedHashMap<>();
        times.forEach((name, t) -> shared.put(name, t.stream().filter(x -> x >= from && x <= to).toList()));
        List<Double> reference = shared.get("720p");
        assertThat(reference).as("keyframes every rendition has, of %s", times).hasSizeGreaterThanOrEqualTo(3);
        shared.forEach((name, t) -> assertThat(t).as("keyframes of %s against 720p (%s)", name, times).isEqualTo(reference));
    }

    private static void assertMasterPlaylists() throws Exception {
        String classic = get("/live/shop_master.m3u8");
        String lowLatency = get("/live/shop/master.m3u8");
        assertThat(classic).startsWith("#EXTM3U").contains("RESOLUTION=1280x720", "RESOLUTION=854x480", "RESOLUTION=640x360")
                .contains("shop_720p.m3u8", "shop_480p.m3u8", "shop_360p.m3u8", "shop.m3u8")
                .contains("CODECS=\"avc1.");
        assertThat(count(classic, "#EXT-X-STREAM-INF")).isEqualTo(4); // the source and three renditions
        assertThat(lowLatency).contains("../shop_480p/index.m3u8", "../shop/index.m3u8");
        // A rendition's LL-HLS playlist reports where each sibling has got (its first load starts their packaging).
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get("/live/shop_480p/index.m3u8"))
                .contains("#EXT-X-RENDITION-REPORT:URI=\"../shop/index.m3u8\",LAST-MSN=",
                        "#EXT-X-RENDITION-REPORT:URI=\"../shop_720p/index.m3u8\",LAST-MSN=",
                        "#EXT-X-RENDITION-REPORT:URI=\"../shop_360p/index.m3u8\",LAST-MSN=")
                .doesNotContain("URI=\"../shop_480p/index.m3u8\"")
                .containsPattern("(?m)^#EXT-X-RENDITION-REPORT:URI=\"../shop_720p/index.m3u8\",LAST-MSN=\\d+,LAST-PART=\\d+$"));
        // A player follows the master to a rendition's playlist and plays it, audio included.
        assertThat(Ffmpeg.probe("http://" + server.host() + ":" + server.httpPort() + "/live/shop_360p.m3u8"))
                .contains(new ProbedStream("video", "h264", 640, 360))
                .anyMatch(s -> s.type().equals("audio") && s.codec().equals("aac"));
    }

    private static void assertMeasured() throws Exception {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode t = server.api("/api/v1/transcoders").path("transcoders").path(0);
            assertThat(t.path("source").asText()).isEqualTo("live/shop");
            assertThat(t.path("encoder").asText()).isEqualTo("openh264");
            assertThat(t.path("fpsIn").asDouble()).isBetween(27.0, 33.0);
            assertThat(t.path("corruptFrames").asLong()).isZero();
            List<String> names = new ArrayList<>();
            for (JsonNode r : t.path("renditions")) {
                names.add(r.path("name").asText());
                assertThat(r.path("fpsOut").asDouble()).as("fps of %s", r).isBetween(25.0, 33.0);
                JsonNode delay = r.path("delayMicros");
                assertThat(delay.path("count").asLong()).isGreaterThan(60);
                assertThat(delay.path("p50").asLong()).isPositive().isLessThanOrEqualTo(delay.path("p99").asLong());
            }
            assertThat(names).containsExactlyElementsOf(LADDER.keySet());
        });
        String metrics = get("/metrics");
        assertThat(metrics).contains("meshlive_transcode_delay_seconds{quantile=\"0.99\",rendition=\"480p\"")
                .contains("meshlive_transcode_fps{rendition=\"720p\"")
                .contains("meshlive_transcode_dropped_frames{");
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    private static String get(String path) throws Exception {
        // Following the redirect an HLS playlist answers with (its session token).
        HttpResponse<String> r = Http1Clients.builder().followRedirects(HttpClient.Redirect.NORMAL).build().send(HttpRequest.newBuilder(
                URI.create("http://" + server.host() + ":" + server.httpPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return r.body();
    }
}
