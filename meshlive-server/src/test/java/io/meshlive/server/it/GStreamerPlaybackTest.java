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
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GStreamer (Debian's gstreamer1.0-tools, -plugins-good, -bad and -libav), a player independent of
 * FFmpeg's demuxers and of the browsers: its own RTMP client (rtmp2src), FLV, HLS and MPEG-TS
 * demuxers and its own fMP4 reader (qtdemux). It decodes RTMP, classic HLS and LL-HLS, and reads
 * the LL-HLS frame rate from the fMP4 sample durations, which therefore must be exact.
 */
@Timeout(120)
class GStreamerPlaybackTest {
    private static final String STREAM = "gst";
    /** Decoded video frames each pipeline must pass before it ends itself (3 s at 30 fps). */
    private static final int FRAMES = 90;
    private static final Duration LIMIT = Duration.ofSeconds(40);
    private static final HttpClient HTTP = Http1Clients.builder().followRedirects(HttpClient.Redirect.NORMAL).build();
    private static TestServer server;
    private static ExternalProcess publisher;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start();
        publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl(STREAM));
        server.awaitLive(STREAM, publisher);
        // Both HLS flavours hold a few segments, so GStreamer's HLS demuxer starts inside the window.
        for (String playlist : List.of(hlsUrl(true), hlsUrl(false))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(playlist)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && r.body().split("#EXTINF", -1).length > 3;
            });
        }
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

    private static String hlsUrl(boolean low) {
        return "http://127.0.0.1:" + server.httpPort() + "/" + TestServer.APP + "/" + STREAM + (low ? "/index.m3u8" : ".m3u8");
    }

    @Test
    void rtmpIsDecoded() {
        decode(server.rtmpUrl(STREAM));
    }

    @Test
    void classicHlsIsDecoded() {
        decode(hlsUrl(false));
    }

    @Test
    void lowLatencyHlsIsDecodedAtTheSourceFrameRate() {
        String caps = decode(hlsUrl(true));
        // qtdemux derives the rate from the trun sample durations: 3000 ticks at 90 kHz is 30/1
        // (millisecond-rounded durations of 2970/3060 ticks read as 29.97).
        assertThat(caps).as("H.264 caps GStreamer read from LL-HLS")
                .contains("framerate=(fraction)" + TestPattern.FPS + "/1").doesNotContain("framerate=(fraction)30000/1001");
    }

    /** What gst-launch -v prints when decoded audio reaches its sink. */
    private static final String AUDIO_DECODED = "GstFakeSink:audio.GstPad:sink: caps = audio/x-raw";

    /**
     * gst-launch-1.0 -v (rtmp2src and flvdemux for RTMP; uridecodebin with hlsdemux and
     * tsdemux/qtdemux for HLS; avdec_h264 and avdec_aac) decodes {@link #FRAMES} video frames and
     * AAC; returns the video caps it printed.
     */
    private static String decode(String url) {
        List<String> command = new ArrayList<>(List.of("gst-launch-1.0", "-v"));
        if (url.startsWith("rtmp://")) {
            // Not uridecodebin: it puts a buffering queue2 in front of an rtmp:// source, and gst-launch
            // pauses the pipeline while that reports under 100 %. Sinks that never wait (sync=false)
            // keep a live stream's queue near empty, so the pipeline could stay paused with its audio
            // never reaching the sink (seen once in a full run: "buffering... 0%" for 40 s).
            command.addAll(List.of("rtmp2src", "location=" + url, "!", "flvdemux", "name=d",
                    "d.video", "!", "queue", "!", "h264parse", "!", "avdec_h264", "!", "video/x-raw", "!",
                    "fakesink", "name=video", "sync=false", "silent=false",
                    "d.audio", "!", "queue", "!", "aacparse", "!", "avdec_aac", "!", "audio/x-raw", "!",
                    "fakesink", "name=audio", "sync=false"));
        } else {
            command.addAll(List.of("uridecodebin", "uri=" + url, "name=d",
                    "d.", "!", "queue", "!", "video/x-raw", "!", "fakesink", "name=video", "sync=false", "silent=false",
                    "d.", "!", "queue", "!", "audio/x-raw", "!", "fakesink", "name=audio", "sync=false"));
        }
        try (ExternalProcess player = ExternalProcess.start("gst-launch", command)) {
            // Both tracks: on a busy machine the video frames may all be counted before the audio caps are printed.
            await().atMost(LIMIT).until(() -> !player.isAlive()
                    || decodedFrames(player.stdout()) >= FRAMES && player.stdout().contains(AUDIO_DECODED));
            String out = player.stdout();
            assertThat(decodedFrames(out)).as("video frames decoded: %s", player.describe()).isGreaterThanOrEqualTo(FRAMES);
            assertThat(out).as("AAC decoded").contains(AUDIO_DECODED);
            String videoCaps = out.lines().filter(l -> l.contains("caps = video/x-h264")).reduce("", (a, b) -> a + b + "\n");
            assertThat(videoCaps).as(url).contains("width=(int)" + TestPattern.WIDTH).contains("height=(int)" + TestPattern.HEIGHT);
            System.out.println("GStreamer " + url + ": " + decodedFrames(out) + " frames decoded, "
                    + java.util.regex.Pattern.compile("framerate=\\(fraction\\)[0-9/]+").matcher(videoCaps).results()
                    .map(java.util.regex.MatchResult::group).distinct().toList());
            return videoCaps;
        }
    }

    private static long decodedFrames(String out) {
        return out.lines().filter(l -> l.contains("(video:sink) (")).count();
    }
}
