package io.meshlive.server.it;

import io.meshlive.testkit.Http1Clients;
import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * WebRTC with a real browser: Chromium plays over WHEP a stream that ffmpeg publishes over RTMP
 * (H.264 + AAC, the AAC transcoded to Opus in-process) and reports its bandwidth estimate (REMB),
 * and Chromium's fake camera publishes over
 * WHIP a stream that ffprobe then reads over HTTP-FLV as H.264 + AAC.
 */
@Timeout(120)
class WebRtcPlaybackTest {
    private static final int PLAY_SECONDS = 12;
    private static final HttpClient HTTP = Http1Clients.builder().build();
    private static TestServer server;
    private static ExternalProcess publisher;
    @TempDir
    Path profile;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start();
        publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl("rtmp2whep"));
        server.awaitLive("rtmp2whep", publisher);
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

    private static String base() {
        return "http://127.0.0.1:" + server.httpPort();
    }

    @Test
    void chromiumPlaysAnRtmpStreamOverWhep() throws Exception {
        String whep = base() + "/" + TestServer.APP + "/rtmp2whep/whep";
        String page = base() + "/console/whep.html?src=" + URLEncoder.encode(whep, StandardCharsets.UTF_8);
        List<JsonNode> samples;
        try (BrowserPage browser = BrowserPage.open("whep", page, PLAY_SECONDS, profile.resolve("whep"))) {
            // abs-send-time on the video lets Chromium's receive-side estimator run; it reports as REMB.
            await().atMost(Duration.ofSeconds(PLAY_SECONDS)).untilAsserted(() -> assertThat(whepEstimates())
                    .as("bandwidth estimates (REMB) of the WHEP viewers").anyMatch(bps -> bps > 0));
            System.out.println("WHEP in Chromium: REMB estimates, bit/s: " + whepEstimates());
            samples = browser.samples();
            assertThat(samples).as("no page error: %s", browser.describe())
                    .allSatisfy(s -> assertThat(s.path("error").isNull()).as(s.toString()).isTrue());
        }
        List<JsonNode> tail = samples.subList(samples.size() - 8, samples.size());
        System.out.println("WHEP in Chromium, last samples:\n" + tail.stream().map(JsonNode::toString).collect(Collectors.joining("\n")));
        JsonNode first = tail.get(0);
        JsonNode last = tail.get(tail.size() - 1);
        assertThat(last.path("connected").asBoolean()).as("connected: %s", last).isTrue();
        assertThat(last.path("width").asInt()).isEqualTo(TestPattern.WIDTH);
        // ~3.5 s between the first and last of the tail at 30 fps: about 105 frames.
        assertThat(last.path("framesDecoded").asLong() - first.path("framesDecoded").asLong())
                .as("video frames decoded over the last samples").isGreaterThan(60);
        // 48 kHz Opus: about 168,000 samples in 3.5 s.
        assertThat(last.path("audioSamples").asLong() - first.path("audioSamples").asLong())
                .as("audio samples received over the last samples").isGreaterThan(100_000);
        JsonNode stream = server.apiStream("rtmp2whep");
        System.out.printf("WHEP: POST to first decoded frame %s ms; browser jitter buffer %s ms, decode %s ms, "
                        + "receive->present p50 %s / p95 %s ms; server-added (ingest->sent, us) %s%n",
                last.path("firstFrameMs"), last.path("jitterBufferMs"), last.path("decodeMs"),
                last.path("receiveToPresentP50"), last.path("receiveToPresentP95"), stream.path("latencyMicros").path("total"));
    }

    private static List<Long> whepEstimates() {
        return server.hub().sessions().all().stream().filter(s -> s.protocol().equals("whep"))
                .map(s -> (Long) s.details().get("estimateBps")).toList();
    }

    /** MP3 is not WebRTC audio either: the companion transcodes it to Opus like AAC. */
    @Test
    void mp3AudioReachesChromiumAsOpus() throws Exception {
        try (ExternalProcess mp3 = Ffmpeg.publish(TestPattern.live().withAudio("libmp3lame"), server.rtmpUrl("mp3whep"))) {
            server.awaitLive("mp3whep", mp3);
            assertThat(server.stream("mp3whep").stats().audioCodec().displayName()).isEqualTo("mp3");
            String whep = base() + "/" + TestServer.APP + "/mp3whep/whep";
            String page = base() + "/console/whep.html?src=" + URLEncoder.encode(whep, StandardCharsets.UTF_8);
            List<JsonNode> samples;
            try (BrowserPage browser = BrowserPage.open("whep-mp3", page, 8, profile.resolve("whep-mp3"))) {
                samples = browser.samples();
            }
            JsonNode first = samples.get(samples.size() - 6);
            JsonNode last = samples.get(samples.size() - 1);
            assertThat(last.path("error").isNull()).as(last.toString()).isTrue();
            // 48 kHz Opus: about 120,000 samples in the 2.5 s between the two samples.
            assertThat(last.path("audioSamples").asLong() - first.path("audioSamples").asLong())
                    .as("audio samples received: %s", last).isGreaterThan(70_000);
        }
    }

    @Test
    void chromiumPublishesOverWhipAndFfprobeReadsFlv() throws Exception {
        String whip = base() + "/" + TestServer.APP + "/whip2flv/whip";
        String page = base() + "/console/whip.html?src=" + URLEncoder.encode(whip, StandardCharsets.UTF_8);
        try (BrowserPage browser = BrowserPage.open("whip", page, PLAY_SECONDS, profile.resolve("whip"))) {
            await().atMost(Duration.ofSeconds(PLAY_SECONDS)).until(() -> {
                var s = server.stream("whip2flv");
                return s != null && s.publisher() != null && s.stats().framesIn() > 30;
            });
            List<Ffmpeg.ProbedStream> streams = Ffmpeg.probe(server.flvUrl("whip2flv"));
            assertThat(streams).extracting(Ffmpeg.ProbedStream::codec).as("HTTP-FLV of a WHIP stream")
                    .containsExactlyInAnyOrder("h264", "aac");
            // Let the page run out, so Chromium leaves its profile directory before it is deleted.
            JsonNode last = browser.samples().get(PLAY_SECONDS * 2 - 5);
            assertThat(last.path("error").isNull()).as(last.toString()).isTrue();
            assertThat(last.path("connected").asBoolean()).as(last.toString()).isTrue();
        }
    }

    @Test
    void badOffersGetClearErrors() throws Exception {
        String whep = base() + "/" + TestServer.APP + "/rtmp2whep/whep";
        HttpResponse<String> garbage = post(whep, "this is not SDP");
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("SDP");

        String vp8Only = String.join("\r\n", "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
                "a=group:BUNDLE 0", "m=video 9 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0",
                "a=ice-ufrag:abcd", "a=ice-pwd:abcdefghijklmnopqrstuvwx",
                "a=fingerprint:sha-256 " + "AB:".repeat(31) + "AB", "a=setup:actpass", "a=mid:0",
                "a=recvonly", "a=rtcp-mux", "a=rtpmap:96 VP8/90000", "") ;
        HttpResponse<String> noCodec = post(whep, vp8Only);
        assertThat(noCodec.statusCode()).as(noCodec.body()).isBetween(400, 499);
        assertThat(noCodec.body()).containsIgnoringCase("codec");

        HttpResponse<String> wrongType = HTTP.send(HttpRequest.newBuilder(URI.create(whep))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("v=0")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrongType.statusCode()).isEqualTo(415);

        HttpResponse<String> unknown = HTTP.send(HttpRequest.newBuilder(URI.create(whep + "/999999")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        // The RTMP stream and its other viewers are untouched.
        assertThat(server.stream("rtmp2whep").publisher()).isNotNull();
    }

    private static HttpResponse<String> post(String url, String sdp) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(sdp)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
