package io.meshlive.server.it;

import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import io.meshlive.server.config.TranscodeConfig;
import com.fasterxml.jackson.databind.JsonNode;
import io.meshlive.server.ServerConfig;
import io.meshlive.transcode.video.Transcoder;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a ladder makes of sources that are not a clean 16:9 H.264 stream, published by real
 * clients: a raw RTMP publisher whose frames turn to garbage for a second (the ladder skips them
 * and goes on from the next keyframe), one whose H.264 configuration cannot be read (transcoding
 * stops with one log line; the source plays on), and an ffmpeg source smaller than the top rung
 * (that rung is skipped, the others keep its shape and take the fixed GOP).
 */
@Timeout(120)
class LadderInputTest {
    private static final int GOP_FRAMES = 20;
    private static TestServer server;
    /** 6 s of the 640x360 test pattern, a keyframe every 0.5 s: the raw publishers' frames. */
    private static List<FlvTag> recorded;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Path flv = dir.resolve("source.flv");
        Ffmpeg.record(TestPattern.live().withGop(15), Duration.ofSeconds(6), flv);
        recorded = videoTags(flv);
        server = TestServer.start(c -> {
            TranscodeConfig.Ladder ladder = new TranscodeConfig.Ladder();
            ladder.gopFrames = GOP_FRAMES;
            ladder.renditions.add(rendition("720p", 1280, 720, 2500));
            ladder.renditions.add(rendition("360p", 640, 360, 700));
            ladder.renditions.add(rendition("240p", 426, 240, 300));
            c.transcode.apps.put(TestServer.APP, ladder);
        });
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void corruptFramesAreSkippedAndTheRenditionsGoOnFromTheNextKeyframe() throws Exception {
        try (RawRtmpClient client = RawRtmpClient.connect(server)) {
            Publisher publisher = new Publisher(client, "rough");
            publisher.sendGood(0, 2000);
            await().atMost(Duration.ofSeconds(10)).until(() -> ladder("rough").path("decodedFrames").asLong() > 30);
            try (FlvWatcher viewer = FlvWatcher.start(server, "rough_240p")) {
                publisher.sendGarbage(2000, 3000);
                long framesBefore = viewer.videoFrames();
                long decodedBefore = ladder("rough").path("decodedFrames").asLong();
                publisher.sendGood(3000, 6000);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    JsonNode t = ladder("rough");
                    assertThat(t.path("corruptFrames").asLong()).as("%s", t).isPositive();
                    assertThat(t.path("decodedFrames").asLong()).as("%s", t).isGreaterThan(decodedBefore + 60);
                    assertThat(viewer.videoFrames()).as("%s after the garbage", viewer).isGreaterThan(framesBefore + 60);
                });
            }
        }
    }

    @Test
    void aConfigurationTheDecoderCannotReadStopsTheLadderAndTheSourcePlaysOn() throws Exception {
        byte[] avcC = recorded.get(0).data().clone();
        // The SPS (after the 5-byte tag header, 6 bytes of avcC and its 2-byte length) becomes zeros
        // past its NAL header: its id is an Exp-Golomb code with no end. (All ones would read as a
        // valid 16x16 SPS.)
        for (int i = 5 + 6 + 2 + 1; i < 5 + 6 + 2 + 8; i++) {
            avcC[i] = 0;
        }
        try (LogCapture log = LogCapture.of(Transcoder.class);
             RawRtmpClient client = RawRtmpClient.connect(server)) {
            Publisher publisher = new Publisher(client, "odd", avcC);
            publisher.sendGood(0, 1000);
            try (FlvWatcher viewer = FlvWatcher.start(server, "odd")) {
                publisher.sendGood(1000, 3000);
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                        assertThat(viewer.videoFrames()).as("%s", viewer).isGreaterThan(30));
            }
            assertThat(log.mentioning("transcoding disabled")).as("one line says why").singleElement()
                    .satisfies(e -> assertThat(e.getFormattedMessage()).contains("live/odd", "cannot decode", "the source plays on"));
            for (String rung : List.of("odd_360p", "odd_240p")) {
                var s = server.stream(rung);
                assertThat(s == null || s.publisher() == null).as("%s is not published", rung).isTrue();
            }
            assertThat(server.stream("odd").publisher()).as("the publisher goes on").isNotNull();
            assertThat(ladder("odd").path("state").asText()).as("the API says so").startsWith("disabled: cannot decode");
        }
    }

    @Test
    void aRungLargerThanTheSourceIsSkippedAndTheOthersKeepItsShapeAndTheFixedGop() throws Exception {
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl("small"))) {
            server.awaitLive("small", publisher);
            server.awaitLive("small_240p", publisher);
            assertThat(Ffmpeg.probe(server.flvUrl("small_240p"))).contains(new Ffmpeg.ProbedStream("video", "h264", 426, 240));
            JsonNode t = ladder("small");
            assertThat(t.path("renditions").findValuesAsText("name")).containsExactly("360p", "240p");
            assertThat(server.stream("small_720p") == null || server.stream("small_720p").publisher() == null)
                    .as("720p of a 360p source").isTrue();
            // The source has a keyframe every second; the renditions one every 20 frames.
            List<Double> keyframes = Ffmpeg.keyframeTimes(server.flvUrl("small_360p"), 4);
            assertThat(keyframes).hasSizeGreaterThanOrEqualTo(4);
            for (int i = 1; i < keyframes.size(); i++) {
                assertThat(keyframes.get(i) - keyframes.get(i - 1)).as("GOP of %s", keyframes)
                        .isCloseTo(GOP_FRAMES / 30.0, org.assertj.core.data.Offset.offset(0.04));
            }
        }
    }

    /** The ladder of {@code source} in /api/v1/transcoders. */
    private static JsonNode ladder(String source) throws Exception {
        for (JsonNode t : server.api("/api/v1/transcoders").path("transcoders")) {
            if (t.path("source").asText().equals(TestServer.APP + "/" + source)) {
                return t;
            }
        }
        throw new AssertionError("no ladder for " + source + ": " + server.api("/api/v1/transcoders"));
    }

    private static TranscodeConfig.Rendition rendition(String name, int width, int height, int kbps) {
        TranscodeConfig.Rendition r = new TranscodeConfig.Rendition();
        r.name = name;
        r.width = width;
        r.height = height;
        r.bitrateKbps = kbps;
        return r;
    }

    private static List<FlvTag> videoTags(Path flv) throws IOException {
        List<FlvTag> tags = new ArrayList<>();
        try (InputStream in = Files.newInputStream(flv)) {
            FlvTagReader reader = new FlvTagReader(in);
            reader.readFileHeader();
            FlvTag tag;
            while ((tag = reader.next()) != null) {
                if (tag.isVideo()) {
                    tags.add(tag);
                }
            }
        }
        assertThat(tags.get(0).isAvcSequenceHeader()).as("the recording starts with its avcC").isTrue();
        return tags;
    }

    /** Publishes the recorded frames in real time over a raw RTMP connection, intact or as garbage. */
    private static final class Publisher {
        private final RawRtmpClient client;
        private final Random random = new Random(6);
        private final long startNanos;

        Publisher(RawRtmpClient client, String stream) throws IOException {
            this(client, stream, recorded.get(0).data());
        }

        Publisher(RawRtmpClient client, String stream, byte[] config) throws IOException {
            this.client = client;
            client.handshake();
            client.publish(TestServer.APP, stream);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.stream(stream) != null && server.stream(stream).publisher() != null);
            client.send(RawRtmpClient.videoMessage(Unpooled.wrappedBuffer(config), 0));
            startNanos = System.nanoTime();
        }

        /** The recorded frames stamped {@code [fromMs, toMs)}, as they are. */
        void sendGood(long fromMs, long toMs) throws IOException, InterruptedException {
            send(fromMs, toMs, false);
        }

        /**
         * The same frames with every NAL unit's payload replaced by random bytes (its length and
         * NAL header kept, as a bit-flipping link would leave them): the RTMP and FLV framing is
         * fine, the pictures are not.
         */
        void sendGarbage(long fromMs, long toMs) throws IOException, InterruptedException {
            send(fromMs, toMs, true);
        }

        private void send(long fromMs, long toMs, boolean garbage) throws IOException, InterruptedException {
            for (FlvTag tag : recorded.subList(1, recorded.size())) {
                if (tag.timestamp() < fromMs || tag.timestamp() >= toMs) {
                    continue;
                }
                long due = startNanos + tag.timestamp() * 1_000_000;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                byte[] body = garbage ? scrambled(tag.data()) : tag.data();
                client.send(RawRtmpClient.videoMessage(Unpooled.wrappedBuffer(body), tag.timestamp()));
            }
        }

        private byte[] scrambled(byte[] body) {
            byte[] out = body.clone();
            int at = 5; // FLV video tag header: frame type and codec, AVCPacketType, composition time
            while (at + 4 <= out.length) {
                int length = (out[at] & 0xFF) << 24 | (out[at + 1] & 0xFF) << 16 | (out[at + 2] & 0xFF) << 8 | out[at + 3] & 0xFF;
                int payloadStart = at + 4 + 1;
                int end = Math.min(out.length, at + 4 + length);
                for (int i = payloadStart; i < end; i++) {
                    out[i] = (byte) random.nextInt(256);
                }
                at += 4 + length;
            }
            return out;
        }
    }
}
