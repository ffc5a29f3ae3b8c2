package io.meshlive.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The "3, 2, 1 — link!" test: ffmpeg publishes with each frame's number burnt into the picture,
 * the API posts cues, and the console's live.html in headless Chromium reads the frame number off
 * the picture at the moment each cue's card shows (canvas + requestVideoFrameCallback), over
 * HTTP-FLV (mpegts.js), LL-HLS (hls.js) and WHEP (a data channel). The frame shown must be the cue's frame, give or take
 * one; the test prints the skew's median and maximum.
 */
@Timeout(240)
class CueSkewTest {
    private static final String STREAM = "cueskew";
    private static final int CUES = 60;
    private static final long CUE_SPACING_MILLIS = 350;
    private static final int PLAY_SECONDS = 50;
    private static TestServer server;
    private static ExternalProcess publisher;
    @TempDir
    Path profile;

    @BeforeAll
    static void startServerAndPublish() throws InterruptedException {
        server = TestServer.start();
        publisher = FrameStamp.publish(TestPattern.live(), server.rtmpUrl(STREAM), List.of(), List.of());
        server.awaitLive(STREAM, publisher);
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                    + "/" + TestServer.APP + "/" + STREAM + "/index.m3u8")).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().split("#EXTINF", -1).length > 3;
        });
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

    @Test
    void httpFlvShowsEachCueOnItsFrame() throws Exception {
        measure("flv");
    }

    @Test
    void llHlsShowsEachCueOnItsFrame() throws Exception {
        measure("llhls");
    }

    /** WHEP: the cues come over the page's "cues" data channel with their frames' RTP timestamps. */
    @Test
    void whepShowsEachCueOnItsFrame() throws Exception {
        measure("whep");
    }

    private void measure(String via) throws Exception {
        String page = "http://127.0.0.1:" + server.httpPort() + "/console/live.html?stream=" + TestServer.APP + "/" + STREAM
                + "&via=" + via + "&stamp=1";
        CueApiClient api = new CueApiClient(server, STREAM);
        Map<String, Double> landed = new HashMap<>();
        JsonNode last;
        try (BrowserPage browser = BrowserPage.open("live-" + via, page, PLAY_SECONDS, profile.resolve(via))) {
            // Cues go out once the page shows pictures: a cue whose frame came before that is not shown on it.
            await().atMost(Duration.ofSeconds(25)).until(() -> {
                JsonNode now = browser.latest();
                return now != null && now.path("frames").asInt() > 30;
            });
            long next = System.nanoTime();
            for (int i = 0; i < CUES; i++) {
                CueApiClient.Answer a = api.post("{\"kind\":\"product\",\"payload\":{\"title\":\"Item " + i + "\",\"price\":\"9.99\"}}");
                assertThat(a.status()).as(a.text()).isEqualTo(201);
                landed.put(a.body().path("id").asText(), a.body().path("ptsMs").asDouble());
                next += TimeUnit.MILLISECONDS.toNanos(CUE_SPACING_MILLIS);
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime())); // a steady cue rate, bounded by CUES
            }
            last = browser.lastSample();
        }
        CueSkewReport.check("API cues, " + via, last, fired -> landed.containsKey(fired.path("id").asText()), 50);
    }
}
