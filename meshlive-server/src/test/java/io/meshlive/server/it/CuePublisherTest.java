package io.meshlive.server.it;

import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.ExternalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cues from the publisher itself: ffmpeg muxes a subtitle file as FLV {@code onTextData}
 * ({@code -c:s text}) next to the frame-stamped video; the server turns each into a cue at the
 * message's own timestamp, and live.html over HTTP-FLV and LL-HLS shows each on its frame.
 */
@Timeout(180)
class CuePublisherTest {
    private static final String STREAM = "cuesrt";
    /** A subtitle every 0.4 s from 0.4 s to 80 s: the page sees those during its run. */
    private static final int SUBTITLES = 200;
    private static final int PLAY_SECONDS = 30;
    private static TestServer server;
    private static ExternalProcess publisher;
    @TempDir
    Path profile;

    @BeforeAll
    static void start() throws InterruptedException, IOException {
        Path srt = Files.createTempFile("meshlive-cues", ".srt");
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= SUBTITLES; i++) {
            b.append(i).append('\n').append(time(i * 400)).append(" --> ").append(time(i * 400 + 200)).append('\n')
                    .append("{\"title\":\"Cue ").append(i).append("\"}").append("\n\n");
        }
        Files.writeString(srt, b);
        server = TestServer.start();
        publisher = FrameStamp.publish(TestPattern.live(), server.rtmpUrl(STREAM), List.of("-i", srt.toString()),
                List.of("-map", "0:v", "-map", "1:a", "-map", "2:s", "-c:s", "text"));
        server.awaitLive(STREAM, publisher);
    }

    private static String time(int millis) {
        return String.format("00:%02d:%02d,%03d", millis / 60_000, millis / 1000 % 60, millis % 1000);
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
    void subtitlesFromThePublisherShowOnTheirFramesOverFlv() throws Exception {
        measure("flv");
    }

    @Test
    void subtitlesFromThePublisherShowOnTheirFramesOverLlHls() throws Exception {
        measure("llhls");
    }

    private void measure(String via) throws IOException {
        String page = CueViewerRun.livePage(server, STREAM, via);
        JsonNode last;
        try (BrowserPage browser = BrowserPage.open("srt-" + via, page, PLAY_SECONDS, profile.resolve(via))) {
            last = browser.lastSample();
        }
        assertThat(server.stream(STREAM).cues().delivered()).as("onTextData taken as cues").isGreaterThan(20);
        CueSkewReport.check("publisher onTextData, " + via, last, fired -> fired.path("kind").asText().equals("text"), 25);
    }
}
