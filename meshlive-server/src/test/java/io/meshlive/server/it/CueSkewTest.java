package io.meshlive.server.it;

import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.ExternalProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

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
        CueViewerRun.awaitPlaylist(server, STREAM);
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
        String page = CueViewerRun.livePage(server, STREAM, via);
        CueViewerRun.Result run = CueViewerRun.run("live-" + via, page, new CueApiClient(server, STREAM), CUES, CUE_SPACING_MILLIS,
                PLAY_SECONDS, profile.resolve(via));
        run.printApiToCard(via);
        CueSkewReport.check("API cues, " + via, run.last(), run::ours, 50);
    }
}
