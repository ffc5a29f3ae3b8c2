package io.meshlive.server.it;

import io.meshlive.testkit.Http1Clients;
import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.meshlive.core.Stream;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ffmpeg publishes; snapshot.jpg answers with a JPEG that ffprobe reads as the stream's size (or
 * the asked width), periodic snapshots land in the data dir with an on_snapshot webhook each, and
 * the time to serve a picture is measured, cold (first request after a keyframe) and warm.
 */
@Timeout(120)
class SnapshotTest {
    private static final int KEEP = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<JsonNode> HOOKS = new CopyOnWriteArrayList<>();
    private static final HttpClient HTTP = Http1Clients.builder().connectTimeout(Duration.ofSeconds(2)).build();
    private static HttpServer receiver;
    private static TestServer server;
    private static Path dataDir;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            HOOKS.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        server = TestServer.start(c -> {
            c.webhooks.url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            c.webhooks.secret = "k";
            c.snapshot.intervalSeconds = 1;
            c.snapshot.keep = KEEP;
            c.snapshot.apps.put(TestServer.APP, new io.meshlive.server.ServerConfig.SnapshotApp());
            c.snapshot.apps.get(TestServer.APP).enabled = true;
            dataDir = Path.of(c.dataDir);
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
    void aLiveStreamsSnapshotIsAJpegOfItsSizeOrTheAskedWidth() throws Exception {
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl("cam"))) {
            server.awaitLive("cam", publisher);
            assertThat(probe(get("cam", ""))).containsExactly(new Ffmpeg.ProbedStream("video", "mjpeg", 640, 360));
            assertThat(probe(get("cam", "?width=320"))).containsExactly(new Ffmpeg.ProbedStream("video", "mjpeg", 320, 180));
            assertThat(fetch("/api/v1/streams/live/cam/snapshot.jpg?width=abc").statusCode()).isEqualTo(400);
        }
    }

    @Test
    void aStreamThatIsNotLiveIs404() throws Exception {
        HttpResponse<byte[]> r = fetch("/api/v1/streams/live/nobody/snapshot.jpg");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("not live");
    }

    @Test
    void periodicSnapshotsAreSavedCappedAndAnnounced() throws Exception {
        Path streamDir = dataDir.resolve("snapshots").resolve(TestServer.APP).resolve("review");
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl("review"))) {
            server.awaitLive("review", publisher);
            await().atMost(Duration.ofSeconds(20)).until(() -> hooksFor("review").size() >= KEEP + 2);
        }
        JsonNode hook = hooksFor("review").get(0);
        assertThat(hook.path("app").asText()).isEqualTo(TestServer.APP);
        assertThat(hook.path("size").asInt()).isPositive();
        assertThat(hook.path("width").asInt()).isEqualTo(640);
        assertThat(hook.path("time").asLong()).isPositive();
        assertThat(Path.of(hook.path("path").asText()).getParent()).isEqualTo(streamDir.toAbsolutePath());
        assertThat(Path.of(hook.path("path").asText()).getFileName().toString()).matches("\\d{8}-\\d{6}\\.jpg");
        List<Path> files;
        try (var listing = Files.list(streamDir)) {
            files = listing.sorted().toList();
        }
        assertThat(files).as("the newest %d are kept", KEEP).hasSize(KEEP);
        JsonNode newest = hooksFor("review").get(hooksFor("review").size() - 1);
        Path newestFile = Path.of(newest.path("path").asText());
        assertThat(files).contains(newestFile);
        assertThat(Files.size(newestFile)).isEqualTo(newest.path("size").asLong());
        assertThat(probe(Files.readAllBytes(newestFile))).containsExactly(new Ffmpeg.ProbedStream("video", "mjpeg", 640, 360));
    }

    @Test
    void aKeyframeThatDoesNotDecodeIs503AndHarmsNothing() throws Exception {
        // The avcC of a real 640x360 libx264 stream, then keyframes whose slice is garbage.
        byte[] avcC = HexFormat.of().parseHex("0142c01effe100196742c01eda0280bfe5c044000003000400000300f23c58ba8001000468ce0fc8");
        try (RawRtmpClient client = RawRtmpClient.connect(server)) {
            client.handshake();
            client.publish(TestServer.APP, "broken");
            // Sent again each round: media arriving before the on_publish answer is dropped.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                client.send(RawRtmpClient.videoMessage(Unpooled.buffer().writeBytes(new byte[] {0x17, 0, 0, 0, 0}).writeBytes(avcC)));
                client.send(RawRtmpClient.videoMessage(Unpooled.buffer().writeBytes(new byte[] {0x17, 1, 0, 0, 0})
                        .writeInt(200).writeBytes(new byte[] {0x65, (byte) 0x88, (byte) 0x84}).writeZero(197)));
                return fetch("/api/v1/streams/live/broken/snapshot.jpg").statusCode() == 503;
            });
            HttpResponse<byte[]> again = fetch("/api/v1/streams/live/broken/snapshot.jpg");
            assertThat(again.statusCode()).isEqualTo(503);
            assertThat(new String(again.body(), StandardCharsets.UTF_8))
                    .contains("cannot decode the latest keyframe of live/broken: decode keyframe: Invalid data found when processing input (");
            assertThat(server.stream("broken").publisher()).as("the publisher goes on").isNotNull();
        }
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl("fine"))) {
            server.awaitLive("fine", publisher);
            assertThat(probe(get("fine", ""))).containsExactly(new Ffmpeg.ProbedStream("video", "mjpeg", 640, 360));
        }
    }

    @Test
    void snapshotsNeedTheApiToken() throws Exception {
        try (TestServer guarded = TestServer.start(c -> {
            c.api.token = "t0ken";
            c.webrtc.iceTcp = false; // its TCP port would take the UDP port's number, which may be taken
        })) {
            String url = "http://127.0.0.1:" + guarded.httpPort() + "/api/v1/streams/live/any/snapshot.jpg";
            HttpResponse<String> without = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> with = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer t0ken").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(without.statusCode()).isEqualTo(401);
            assertThat(with.statusCode()).as(with.body()).isEqualTo(404);
        }
    }

    /** Prints p50/p99 of the time to serve a snapshot over HTTP, cold (first request after a new keyframe) and warm. */
    @Test
    void timeToServeASnapshot() throws Exception {
        int rounds = 20;
        List<Long> cold = new ArrayList<>();
        List<Long> warm = new ArrayList<>();
        // Three keyframes a second, so every round gets a fresh one quickly.
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live().withGop(10), server.rtmpUrl("timed"))) {
            Stream stream = server.awaitLive("timed", publisher);
            long seen = latestKeyframeId(stream);
            for (int i = 0; i < rounds; i++) {
                long previous = seen;
                await().atMost(Duration.ofSeconds(5)).until(() -> latestKeyframeId(stream) != previous);
                seen = latestKeyframeId(stream);
                cold.add(timedGet("timed"));
                warm.add(timedGet("timed"));
            }
        }
        System.out.printf("time to serve snapshot.jpg 640x360 over %d requests each: cold p50 %.2f ms p99 %.2f ms; warm p50 %.2f ms p99 %.2f ms%n",
                rounds, percentile(cold, 50), percentile(cold, 99), percentile(warm, 50), percentile(warm, 99));
        assertThat(percentile(warm, 50)).as("a cached picture is served faster than a decoded one").isLessThan(percentile(cold, 50));
    }

    private static long latestKeyframeId(Stream stream) {
        CompletableFuture<Long> id = new CompletableFuture<>();
        stream.latestKeyframe(k -> {
            if (k == null) {
                id.complete(0L);
            } else {
                id.complete(k.keyframe().arrivalNanos());
                k.release();
            }
        });
        return id.join();
    }

    private long timedGet(String stream) throws Exception {
        long start = System.nanoTime();
        get(stream, "");
        return System.nanoTime() - start;
    }

    private static double percentile(List<Long> nanos, int p) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, rank)] / 1e6;
    }

    private static List<JsonNode> hooksFor(String stream) {
        return HOOKS.stream().filter(h -> h.path("event").asText().equals("on_snapshot") && h.path("stream").asText().equals(stream)).toList();
    }

    private static byte[] get(String stream, String query) throws Exception {
        HttpResponse<byte[]> r = fetch("/api/v1/streams/" + TestServer.APP + "/" + stream + "/snapshot.jpg" + query);
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("image/jpeg");
        return r.body();
    }

    private static HttpResponse<byte[]> fetch(String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(5)).build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
    }

    private List<Ffmpeg.ProbedStream> probe(byte[] jpeg) throws IOException {
        Path file = Files.createTempFile(dir, "snapshot", ".jpg");
        Files.write(file, jpeg);
        return Ffmpeg.probe(file.toString());
    }
}
