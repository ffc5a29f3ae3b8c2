package io.meshlive.server.it;

import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import io.meshlive.core.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an FLV player sees first: WebSocket-FLV framing (one tag per message after the file
 * header), and a viewer joining in the middle of a GOP starting at a keyframe, at once.
 */
@Timeout(60)
class FlvPlaybackTest {
    private static final byte[] FLV_HEADER_AUDIO_VIDEO = {'F', 'L', 'V', 1, 5, 0, 0, 0, 9, 0, 0, 0, 0};

    private static TestServer server;

    @BeforeAll
    static void startServer() throws InterruptedException {
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void webSocketFlvSendsTheHeaderThenOneTagPerMessageStartingAtAKeyframe() throws Exception {
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl("ws"));
             WebSocketFlvClient ws = connectWhenLive("ws", publisher)) {
            assertThat(ws.next(Duration.ofSeconds(5)))
                    .as("first message: FLV header (version 1, audio + video) and PreviousTagSize0")
                    .containsExactly(FLV_HEADER_AUDIO_VIDEO);

            List<FlvTag> tags = new ArrayList<>();
            long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                byte[] message = ws.next(Duration.ofNanos(end - now));
                if (message != null) {
                    tags.add(FlvTagReader.parseOne(message));
                }
            }

            FlvTag firstVideo = tags.stream().filter(FlvTag::isVideo).findFirst().orElse(null);
            FlvTag firstPicture = tags.stream().filter(FlvTag::isVideoFrame).findFirst().orElse(null);
            long pictures = tags.stream().filter(FlvTag::isVideoFrame).count();
            System.out.printf("WebSocket-FLV: %d tags in 2 s, %d of them video frames; first: %s%n",
                    tags.size(), pictures, tags.subList(0, Math.min(4, tags.size())));
            assertThat(firstVideo).as("first video tag (of %s)", tags).isNotNull()
                    .matches(FlvTag::isAvcSequenceHeader, "is an AVC sequence header");
            assertThat(firstPicture).as("first video frame").isNotNull()
                    .matches(FlvTag::isKeyframe, "is a keyframe");
            assertThat(tags).as("tags received").anyMatch(t -> t.isAudio() && !t.isAacSequenceHeader());
            assertThat(pictures).as("video frames in 2 s at %d fps", TestPattern.FPS)
                    .isGreaterThanOrEqualTo(2L * TestPattern.FPS * 8 / 10);
        }
    }

    @Test
    void viewerJoiningMidGopStartsAtAKeyframeWithinASecond() throws Exception {
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live().withGop(2 * TestPattern.FPS),
                server.rtmpUrl("midgop"))) {
            Stream stream = server.awaitLive("midgop", publisher);
            // Keyframes every 2 s: 3 s after the publish started, the live edge is about a second into a GOP.
            server.awaitVideoTime("midgop", Duration.ofSeconds(3), publisher);

            long joined = System.nanoTime();
            try (HttpFlvClient client = HttpFlvClient.open(server, "midgop")) {
                FlvTagReader flv = client.flv();
                flv.readFileHeader();
                List<FlvTag> before = new ArrayList<>();
                FlvTag tag = flv.next();
                for (int i = 0; tag != null && !tag.isVideoFrame() && i < 100; i++) {
                    before.add(tag);
                    tag = flv.next();
                }
                long millis = (System.nanoTime() - joined) / 1_000_000;
                System.out.printf("HTTP-FLV time to first video frame, joining mid-GOP: %d ms (%s, after %s)%n",
                        millis, tag, before);

                assertThat(tag).as("first video frame (after %s)", before).isNotNull()
                        .matches(FlvTag::isKeyframe, "is a keyframe");
                assertThat(before).as("tags before the first video frame").anyMatch(FlvTag::isAvcSequenceHeader);
                assertThat(millis).as("ms from connecting to the first video frame").isLessThan(1000);
            }
        }
    }

    private static WebSocketFlvClient connectWhenLive(String stream, ExternalProcess publisher) throws Exception {
        server.awaitLive(stream, publisher);
        return WebSocketFlvClient.connect(server.webSocketUrl(stream));
    }
}
