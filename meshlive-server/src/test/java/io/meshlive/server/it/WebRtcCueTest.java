package io.meshlive.server.it;

import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import io.meshlive.media.cue.Cue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cues over a WebRTC data channel: Chromium plays a stream over WHEP with a {@code cues} data
 * channel it created before the offer (the console's whep.html); a test publisher puts a cue
 * before every 15th video frame; the page gets each cue with the RTP timestamp of its frame and
 * shows it when requestVideoFrameCallback presents a frame with that timestamp.
 */
@Timeout(120)
class WebRtcCueTest {
    private static final int PLAY_SECONDS = 12;
    private static final int EVERY = 15;
    private static TestServer server;
    private static ExternalProcess publisher;
    private static CueInjector injector;
    @TempDir
    Path profile;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start();
        publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl("cuesrc"));
        server.awaitLive("cuesrc", publisher);
        injector = CueInjector.start(server.hub(), TestServer.key("cuesrc"), TestServer.key("cued"), EVERY, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.stream("cued") != null
                && server.stream("cued").stats().framesIn() > 10);
    }

    @AfterAll
    static void stop() {
        if (injector != null) {
            injector.close("test over");
        }
        if (publisher != null) {
            publisher.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void chromiumGetsCuesOnTheirVideoFrames() throws Exception {
        String whep = "http://127.0.0.1:" + server.httpPort() + "/" + TestServer.APP + "/cued/whep";
        String page = "http://127.0.0.1:" + server.httpPort() + "/console/whep.html?src="
                + URLEncoder.encode(whep, StandardCharsets.UTF_8);
        List<JsonNode> samples;
        try (BrowserPage browser = BrowserPage.open("whep-cues", page, PLAY_SECONDS, profile.resolve("cues"))) {
            // Chromium's start-up is not in PLAY_SECONDS: on a busy machine it takes a while.
            await().atMost(Duration.ofSeconds(PLAY_SECONDS + 30)).until(() -> cuesSent() >= 5);
            System.out.println("WHEP viewer details: " + whepDetails());
            samples = browser.samples();
        }
        JsonNode last = samples.get(samples.size() - 1);
        System.out.println("WHEP cues, last sample: " + last);
        assertThat(last.path("error").isNull()).as(last.toString()).isTrue();
        assertThat(last.path("dataChannel").asText()).as(last.toString()).isEqualTo("open");
        // ~10 s of video at 30 fps, a cue every 15 frames: about 20 cues.
        assertThat(last.path("cuesReceived").asInt()).as(last.toString()).isGreaterThanOrEqualTo(10);

        Map<String, Cue> sent = injector.sent().stream().collect(Collectors.toMap(Cue::id, c -> c));
        List<JsonNode> shown = new ArrayList<>();
        last.path("cues").forEach(shown::add);
        assertThat(shown).as("every cue shown was one we sent").allSatisfy(c ->
                assertThat(sent).containsKey(c.path("id").asText()));
        long onFrame = shown.stream().filter(c -> c.path("onFrame").asBoolean()).count();
        System.out.printf("WHEP cues: %d received, %d shown, %d on a frame with their exact RTP timestamp%n",
                last.path("cuesReceived").asInt(), shown.size(), onFrame);
        // requestVideoFrameCallback may skip a frame on a busy machine; the cue is then shown on the
        // next one, flagged. Most must land on their own frame.
        assertThat(onFrame).as("cues shown on the frame with their RTP timestamp: %s", shown)
                .isGreaterThanOrEqualTo(shown.size() * 2L / 3);
        // The stream's RTP timestamps are pts * 90 kHz on this viewer (no publisher change): consecutive
        // cues are EVERY frames (EVERY * 3000 ticks at 30 fps) apart.
        for (int i = 1; i < shown.size(); i++) {
            long delta = (shown.get(i).path("rtpTimestamp").asLong() - shown.get(i - 1).path("rtpTimestamp").asLong())
                    & 0xFFFFFFFFL;
            assertThat(delta).as("RTP timestamp step between cues %s and %s", shown.get(i - 1), shown.get(i))
                    .isEqualTo(EVERY * 90_000L / TestPattern.FPS);
        }
    }

    /**
     * The page opens a second channel pre-negotiated on stream 1 (no DCEP, an odd id: ours to
     * open) and sends on it: a protocol violation. Only the data channels close; the video plays on.
     */
    @Test
    void aMisbehavingPeerLosesItsChannelsNotItsVideo() throws Exception {
        String whep = "http://127.0.0.1:" + server.httpPort() + "/" + TestServer.APP + "/cued/whep";
        String page = "http://127.0.0.1:" + server.httpPort() + "/console/whep.html?src="
                + URLEncoder.encode(whep, StandardCharsets.UTF_8);
        String misbehave = "setTimeout(() => { const bad = window.whepPeerConnection.createDataChannel('bad',"
                + " { negotiated: true, id: 1 }); bad.onopen = () => bad.send('not a channel of yours'); }, 4000)";
        List<JsonNode> samples;
        try (BrowserPage browser = BrowserPage.open("whep-bad-sctp", page, PLAY_SECONDS, profile.resolve("bad"), misbehave)) {
            samples = browser.samples();
        }
        JsonNode last = samples.get(samples.size() - 1);
        System.out.println("WHEP with a misbehaving data channel, last sample: " + last);
        assertThat(last.path("error").isNull()).as(last.toString()).isTrue();
        assertThat(last.path("dataChannel").asText()).as("the association was aborted: %s", last).isEqualTo("closed");
        JsonNode closedAt = samples.stream().filter(s -> s.path("dataChannel").asText().equals("closed")).findFirst()
                .orElseThrow();
        assertThat(last.path("framesDecoded").asLong() - closedAt.path("framesDecoded").asLong())
                .as("video frames decoded after the channels closed (from %s to %s)", closedAt, last)
                .isGreaterThan(10);
        assertThat(last.path("connected").asBoolean()).isTrue();
    }

    private static Map<String, Object> whepDetails() {
        return server.hub().sessions().all().stream().filter(s -> s.protocol().equals("whep")).findFirst()
                .map(s -> s.details()).orElse(Map.of());
    }

    private static long cuesSent() {
        return (Long) whepDetails().getOrDefault("cuesSent", 0L);
    }
}
