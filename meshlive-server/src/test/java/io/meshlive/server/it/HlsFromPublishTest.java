package io.meshlive.server.it;

import io.meshlive.testkit.Http1Clients;
import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * hls.onDemand false: a stream is packaged from its publish, so the very first player of a stream
 * live for a while gets a playlist with a full window, not the one segment the GOP cache holds,
 * and starts with a buffer instead of at the live edge.
 */
@Timeout(90)
class HlsFromPublishTest {
    private static final String STREAM = "frompublish";
    private static final HttpClient HTTP = Http1Clients.builder().followRedirects(HttpClient.Redirect.NORMAL).build();
    private static TestServer server;
    private static ExternalProcess publisher;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start(c -> c.hls.onDemand = false);
        publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl(STREAM));
        server.awaitLive(STREAM, publisher);
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
    void theFirstPlayersPlaylistsHoldEverySegmentSincePublish() throws Exception {
        // No HLS request before this wait: whatever the first playlists hold was packaged unasked.
        await().atMost(Duration.ofSeconds(30)).until(() -> System.currentTimeMillis() - server.stream(STREAM).stats().publishedSinceMillis() > 8000);
        for (String path : new String[] {"/live/" + STREAM + "/index.m3u8", "/live/" + STREAM + ".m3u8"}) {
            HttpResponse<String> first = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(200);
            int segments = first.body().split("#EXTINF", -1).length - 1;
            System.out.printf("hls.onDemand=false: the first %s request lists %d whole segments%n", path, segments);
            // 8 s of 1 s LL-HLS segments or 2 s TS segments (keyframes every 2 s): at least 2 whole ones
            // besides the GOP cache's, which is all an on-demand packager starting now would have.
            assertThat(segments).as("%s:%n%s", path, first.body()).isGreaterThanOrEqualTo(3);
        }
    }
}
