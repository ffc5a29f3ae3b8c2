package io.meshlive.server.it;

import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import io.meshlive.core.Session;
import io.meshlive.testkit.Ffmpeg.ProbedStream;
import io.meshlive.testkit.Ffmpeg.Pull;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ffmpeg publishes (libx264 + AAC over RTMP) and ffmpeg/ffprobe play it back over RTMP and
 * HTTP-FLV: what a real encoder sends must reach real players intact.
 */
@Timeout(60)
class FfmpegPublishTest {
    private static final String LIVE = "x264";
    private static final ProbedStream H264 = new ProbedStream("video", "h264", TestPattern.WIDTH, TestPattern.HEIGHT);
    private static final ProbedStream AAC = new ProbedStream("audio", "aac", 0, 0);
    private static final Duration PULL = Duration.ofSeconds(3);
    /** Frames in {@link #PULL} at the source's rate, less a third of a second of slack. */
    private static final long MIN_PULLED_FRAMES = (PULL.toMillis() - 333) * TestPattern.FPS / 1000;

    private static TestServer server;
    private static ExternalProcess publisher;

    /** The two players' protocols, as a URL for a stream. */
    enum Playback {
        RTMP, HTTP_FLV;

        String url(String stream) {
            return this == RTMP ? server.rtmpUrl(stream) : server.flvUrl(stream);
        }
    }

    @BeforeAll
    static void startServerAndPublisher() throws InterruptedException {
        server = TestServer.start();
        publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl(LIVE));
        server.awaitLive(LIVE, publisher);
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

    @ParameterizedTest
    @EnumSource(Playback.class)
    void ffprobeFindsH264AndAac(Playback playback) {
        assertThat(Ffmpeg.probe(playback.url(LIVE)))
                .as("streams ffprobe finds in %s", playback.url(LIVE))
                .containsExactlyInAnyOrder(H264, AAC);
    }

    @ParameterizedTest
    @EnumSource(Playback.class)
    void ffmpegDecodesThreeSecondsWithoutErrors(Playback playback) {
        Pull pull = Ffmpeg.pull(playback.url(LIVE), PULL);
        System.out.printf("%s: ffmpeg decoded %d video frames from %d s%n", playback, pull.frames(), PULL.toSeconds());

        assertThat(pull.exitCode()).as("exit code of %s", pull.description()).isZero();
        assertThat(pull.errors()).as("errors ffmpeg printed while decoding %s", playback.url(LIVE)).isEmpty();
        assertThat(pull.frames())
                .as("video frames decoded from %s s of %s at %d fps", PULL.toSeconds(), playback.url(LIVE), TestPattern.FPS)
                .isGreaterThanOrEqualTo(MIN_PULLED_FRAMES);
    }

    @Test
    void apiDescribesThePublishedStream() throws Exception {
        JsonNode stream = server.apiStream(LIVE);

        assertThat(stream.path("publishing").asBoolean()).as("publishing, in %s", stream).isTrue();
        assertThat(List.of(stream.path("videoCodec").asText(), stream.path("width").asInt(), stream.path("height").asInt()))
                .as("video in /api/v1/streams: %s", stream)
                .containsExactly("h264", TestPattern.WIDTH, TestPattern.HEIGHT);
        assertThat(List.of(stream.path("audioCodec").asText(), stream.path("sampleRate").asInt()))
                .as("audio in /api/v1/streams: %s", stream)
                .containsExactly("aac", TestPattern.SAMPLE_RATE);
    }

    @Test
    void copiedMp4IsPlayable(@TempDir Path dir) {
        Path mp4 = dir.resolve("in.mp4");
        Ffmpeg.record(TestPattern.live().fileLike(), Duration.ofSeconds(5), mp4);

        try (ExternalProcess copy = Ffmpeg.publishCopy(mp4, server.rtmpUrl("mp4"))) {
            server.awaitLive("mp4", copy);
            for (Playback playback : Playback.values()) {
                assertThat(Ffmpeg.probe(playback.url("mp4")))
                        .as("streams ffprobe finds in %s (copied from an mp4)", playback.url("mp4"))
                        .containsExactlyInAnyOrder(H264, AAC);
            }
        }
    }

    @Test
    void secondPublisherIsRefusedWhileTheFirstGoesOn() {
        Session first = server.stream(LIVE).publisher();

        try (ExternalProcess second = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl(LIVE))) {
            int exit = second.awaitExit(Duration.ofSeconds(10));
            assertThat(exit).as("exit code of the second publisher, %s", second.describe()).isNotZero();
            assertThat(second.stderr()).as("what the second publisher was told").contains("already being published");
        }

        assertThat(publisher.isAlive()).as("first publisher still running: %s", publisher.describe()).isTrue();
        assertThat(server.stream(LIVE).publisher()).as("publisher of live/%s", LIVE).isSameAs(first);
        long frames = server.stream(LIVE).stats().framesIn();
        await("frames from the first publisher after the refusal").atMost(Duration.ofSeconds(2))
                .until(() -> server.stream(LIVE).stats().framesIn() > frames);
    }
}
