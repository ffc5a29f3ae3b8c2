package io.meshlive.server.it;

import io.meshlive.testkit.Http1Clients;
import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cue API against a live ffmpeg publisher: cues land on frames and come out of HLS MPEG-TS as
 * an ID3 timed-metadata stream ffprobe reads (timed_id3, one packet per cue at its frame's PTS);
 * sticky cues list and clear; bad input gets 404, 413, 400 and a flood 429 while the video flows.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class CueApiTest {
    private static final String STREAM = "cueapi";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = Http1Clients.builder().followRedirects(HttpClient.Redirect.NORMAL).build();
    private static TestServer server;
    private static ExternalProcess publisher;
    private static CueApiClient api;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(c -> c.hls.segmentMs = 1000);
        publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl(STREAM));
        server.awaitLive(STREAM, publisher);
        api = new CueApiClient(server, STREAM);
    }

    @AfterAll
    static void stop() {
        if (publisher != null) {
            publisher.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? r.body() : "";
    }

    /** The sequence number of the newest segment listed, or -1. */
    private static long newestSegment(String playlist) {
        long newest = -1;
        for (String line : playlist.split("\n")) {
            int at = line.indexOf("seg-");
            if (!line.startsWith("#") && at >= 0) {
                newest = Long.parseLong(line.substring(at + 4, line.indexOf(".ts")));
            }
        }
        return newest;
    }

    @Test
    void cuesComeOutOfHlsTsAsTimedId3AtTheirFramesPts() throws Exception {
        String playlistPath = "/" + TestServer.APP + "/" + STREAM + ".m3u8";
        // The TS packager starts with the first request; cues go out once it cuts segments.
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> newestSegment(get(playlistPath)) >= 0);
        long firstSequence = newestSegment(get(playlistPath));
        Set<Long> expected = new TreeSet<>();
        for (int i = 0; i < 5; i++) {
            CueApiClient.Answer a = api.post("{\"kind\":\"price\",\"payload\":{\"price\":\"" + (10 + i) + ".00 €\"}}");
            assertThat(a.status()).as(a.text()).isEqualTo(201);
            expected.add(Math.round(a.body().path("ptsMs").asDouble() * 90));
            TimeUnit.MILLISECONDS.sleep(250); // a few frames apart; the loop is bounded
        }
        // Three more segments: the cues' segments are complete and still in the window (12 segments).
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> newestSegment(get(playlistPath)) >= firstSequence + 3);
        String playlist = get(playlistPath);
        ByteArrayOutputStream ts = new ByteArrayOutputStream();
        for (String line : playlist.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                HttpResponse<byte[]> seg = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/"
                        + TestServer.APP + "/" + line)).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(seg.statusCode()).as(line).isEqualTo(200);
                ts.writeBytes(seg.body());
            }
        }
        Path file = dir.resolve("window.ts");
        Files.write(file, ts.toByteArray());
        JsonNode streams = probe("-show_streams", file);
        List<String> codecs = new ArrayList<>();
        streams.path("streams").forEach(s -> codecs.add(s.path("codec_name").asText()));
        assertThat(codecs).as("ffprobe's streams").contains("h264", "aac", "timed_id3");
        JsonNode packets = probe("-show_packets", file, "-select_streams", "d");
        Set<Long> seen = new TreeSet<>();
        packets.path("packets").forEach(p -> seen.add(p.path("pts").asLong()));
        // ffprobe adds the TS's 33-bit PTS as is: our pts * 90, the muxer's floor, within a tick of the API's ms.
        assertThat(packets.path("packets").size()).as("one ID3 packet per cue: %s in %s of %s (%s)", seen, packets, streams, playlist)
                .isEqualTo(expected.size());
        List<Long> sortedSeen = new ArrayList<>(seen);
        List<Long> sortedExpected = new ArrayList<>(expected);
        for (int i = 0; i < sortedExpected.size(); i++) {
            assertThat(sortedSeen.get(i)).as("PTS of cue %d: %s vs %s", i, sortedSeen, sortedExpected)
                    .isBetween(sortedExpected.get(i) - 1, sortedExpected.get(i) + 1);
        }
    }

    private static JsonNode probe(String what, Path file, String... more) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ffprobe", "-v", "error", "-of", "json", what));
        cmd.addAll(List.of(more));
        cmd.add(file.toString());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return JSON.readTree(out);
    }

    @Test
    void stickyCuesAreListedAndCleared() throws Exception {
        CueApiClient.Answer a = api.post("{\"kind\":\"product\",\"payload\":{\"title\":\"Tee\"},\"sticky\":true,\"durationMs\":5000}");
        assertThat(a.status()).as(a.text()).isEqualTo(201);
        assertThat(a.body().path("sticky").asBoolean()).isTrue();
        assertThat(a.body().path("late").asBoolean()).isFalse();
        String id = a.body().path("id").asText();
        JsonNode list = api.get().body();
        assertThat(list.path("sticky").path("id").asText()).isEqualTo(id);
        assertThat(list.path("recent").toString()).contains("\"Tee\"");
        CueApiClient.Answer late = api.post("{\"kind\":\"vote\",\"payload\":{},\"at\":{\"offsetMs\":-2000}}");
        assertThat(late.status()).as(late.text()).isEqualTo(201);
        assertThat(late.body().path("late").asBoolean()).as(late.text()).isTrue();
        assertThat(late.body().path("ptsMs").asDouble()).isLessThan(a.body().path("ptsMs").asDouble() + 100);
        assertThat(api.delete(id).status()).isEqualTo(200);
        assertThat(api.get().body().path("sticky").isNull()).isTrue();
        assertThat(api.delete("sticky").status()).isEqualTo(404);
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: the flood spends the stream's cue budget the other tests need
    void badInputIsRefusedAndAFloodIsCutWhileTheVideoFlows() throws Exception {
        assertThat(new CueApiClient(server, "nosuchstream").post("{\"kind\":\"product\"}").status()).isEqualTo(404);
        CueApiClient.Answer big = api.post("{\"kind\":\"product\",\"payload\":{\"t\":\"" + "é".repeat(2100) + "\"}}");
        assertThat(big.status()).as(big.text()).isEqualTo(413);
        assertThat(big.text()).contains("4096");
        CueApiClient.Answer malformed = api.post("{\"kind\":\"product\",");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.text()).contains("malformed JSON");
        assertThat(api.post("{\"kind\":\"no spaces\"}").status()).isEqualTo(400);
        assertThat(api.post("{\"kind\":\"p\",\"at\":{\"when\":1}}").text()).contains("offsetMs");

        long framesBefore = server.stream(STREAM).stats().framesIn();
        long refusedBefore = api.get().body().path("refused").asLong();
        int tooMany = 0;
        for (int i = 0; i < 80; i++) {
            CueApiClient.Answer a = api.post("{\"kind\":\"vote\"}");
            if (a.status() == 429) {
                tooMany++;
            } else {
                assertThat(a.status()).as(a.text()).isEqualTo(201);
            }
        }
        assertThat(tooMany).as("cues over 20/s refused").isGreaterThan(0);
        assertThat(api.get().body().path("refused").asLong() - refusedBefore).isEqualTo(tooMany);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.stream(STREAM).stats().framesIn() > framesBefore + 30);
    }
}
