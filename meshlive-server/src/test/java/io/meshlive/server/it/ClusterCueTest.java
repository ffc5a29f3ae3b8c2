package io.meshlive.server.it;

import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.ExternalProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * "3, 2, 1 — link!" through the cluster: three nodes in this JVM on a real Redis, A (origin) →
 * B (core) → C (edge). ffmpeg publishes on A with each frame's number burnt in; cues are posted
 * to A's API; live.html plays from C over LL-HLS (hls.js) and WHEP (data channel) and reads the
 * frame number off the picture when each card shows. Each cue must show on its frame.
 */
@Timeout(240)
class ClusterCueTest {
    private static final String STREAM = "clustercue";
    private static final int CUES = 20;
    private static final long CUE_SPACING_MILLIS = 350;
    private static final int PLAY_SECONDS = 25;
    private static InProcessCluster cluster;
    private static TestServer origin;
    private static TestServer edge;
    @TempDir
    Path profile;

    @BeforeAll
    static void startClusterAndPublish() throws Exception {
        cluster = new InProcessCluster();
        origin = cluster.node("a", "west", "origin");
        cluster.node("b", "east", "core");
        edge = cluster.node("c", "east", "edge");
        ExternalProcess publisher = cluster.add(FrameStamp.publish(TestPattern.live(), origin.rtmpUrl(STREAM), List.of(), List.of()));
        origin.awaitLive(STREAM, publisher);
        // A viewer on the edge makes it pull (through B) and keeps the relay up between the browser runs.
        FlvWatcher keeper = cluster.add(FlvWatcher.start(edge, STREAM));
        await().atMost(Duration.ofSeconds(60)).until(() -> keeper.videoFrames() > 30);
        CueViewerRun.awaitPlaylist(edge, STREAM);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void llHlsOnTheEdgeShowsCuesPostedAtTheOriginOnTheirFrames() throws Exception {
        measure("llhls");
    }

    @Test
    void whepOnTheEdgeShowsCuesPostedAtTheOriginOnTheirFrames() throws Exception {
        measure("whep");
    }

    private void measure(String via) throws Exception {
        String page = CueViewerRun.livePage(edge, STREAM, via);
        CueViewerRun.Result run = CueViewerRun.run("edge-" + via, page, new CueApiClient(origin, STREAM), CUES,
                CUE_SPACING_MILLIS, PLAY_SECONDS, profile.resolve(via));
        run.printApiToCard("A->B->C, " + via);
        CueSkewReport.check("API cues at A, viewer on C, " + via, run.last(), run::ours, CUES * 3 / 4);
    }
}
