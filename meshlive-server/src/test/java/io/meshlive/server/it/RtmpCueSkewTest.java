package io.meshlive.server.it;

import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.ExternalProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cue skew over RTMP. An RTMP player (GStreamer's rtmp2src, a client independent of ours, writing
 * what it receives as FLV) plays a stream ffmpeg publishes with frame numbers burnt in, while cues
 * are posted through the API. An RTMP player hands the page an onCuePoint when it demuxes it, so
 * the card shows with the video frame the cue's data message precedes: the skew is that frame's
 * number (from its timestamp, as the browser tests read it off the picture) minus the frame the
 * API said the cue landed on. Prints p50/max; asserts 0 median and at most 1 frame worst.
 */
@Timeout(120)
class RtmpCueSkewTest {
    private static final String STREAM = "rtmpcue";
    private static final int CUES = 50;
    private static final long CUE_SPACING_MILLIS = 200;
    private static final int SCRIPT = 18;
    @TempDir
    Path dir;

    @Test
    void anRtmpPlayerGetsEachCueJustBeforeItsFrame() throws Exception {
        Path received = dir.resolve("received.flv");
        List<Double> landed = new ArrayList<>();
        try (TestServer server = TestServer.start();
             ExternalProcess publisher = FrameStamp.publish(TestPattern.live(), server.rtmpUrl(STREAM), List.of(), List.of())) {
            server.awaitLive(STREAM, publisher);
            try (ExternalProcess player = ExternalProcess.start("gst-rtmp2src", List.of("gst-launch-1.0", "-q", "rtmp2src",
                    "location=" + server.rtmpUrl(STREAM), "!", "filesink", "buffer-mode=unbuffered", "location=" + received))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(received) && Files.size(received) > 100_000);
                CueApiClient api = new CueApiClient(server, STREAM);
                long next = System.nanoTime();
                for (int i = 0; i < CUES; i++) {
                    CueApiClient.Answer a = api.post("{\"kind\":\"product\",\"payload\":{\"title\":\"Item " + i + "\"}}");
                    assertThat(a.status()).as(a.text()).isEqualTo(201);
                    landed.add(a.body().path("ptsMs").asDouble());
                    next += TimeUnit.MILLISECONDS.toNanos(CUE_SPACING_MILLIS);
                    LockSupport.parkNanos(Math.max(0, next - System.nanoTime())); // a steady cue rate, bounded by CUES
                }
                long size = Files.size(received);
                await().atMost(Duration.ofSeconds(20)).until(() -> Files.size(received) > size + 50_000); // the last cues' frames
                assertThat(player.isAlive()).as(player.describe()).isTrue();
            }
        }
        // Each onCuePoint data message and the first video frame after it.
        List<Long> cueTimestamps = new ArrayList<>();
        List<Long> frameAfter = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(received))) {
            FlvTagReader reader = new FlvTagReader(in);
            reader.readFileHeader();
            int waiting = 0;
            for (FlvTag tag = next(reader); tag != null; tag = next(reader)) {
                if (tag.type() == SCRIPT && new String(tag.data(), StandardCharsets.ISO_8859_1).contains("onCuePoint")) {
                    cueTimestamps.add(tag.timestamp());
                    waiting++;
                } else if (tag.isVideo() && !tag.isAvcSequenceHeader()) {
                    for (; waiting > 0; waiting--) {
                        frameAfter.add(tag.timestamp());
                    }
                }
            }
        }
        assertThat(frameAfter).as("cues followed by a frame (posted %s, data message timestamps %s)", landed, cueTimestamps)
                .hasSize(CUES);
        List<Long> skews = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < CUES; i++) {
            long expected = FrameStamp.frameOfPts(landed.get(i));
            long shown = FrameStamp.frameOfPts(frameAfter.get(i));
            skews.add(shown - expected);
            lines.add("pts " + landed.get(i) + " frame " + expected + "; data message at " + cueTimestamps.get(i)
                    + " ms, next video frame at " + frameAfter.get(i) + " ms = frame " + shown);
        }
        long[] abs = skews.stream().mapToLong(Math::abs).sorted().toArray();
        System.out.println("cue skew rtmp:\n  " + String.join("\n  ", lines));
        System.out.printf("cue skew rtmp (rtmp2src) over %d cues: p50 %d frame(s), max %d frame(s)%n", abs.length,
                abs[abs.length / 2], abs[abs.length - 1]);
        assertThat(abs[abs.length / 2]).as("median cue skew in frames: %s", lines).isZero();
        assertThat(abs[abs.length - 1]).as("worst cue skew in frames: %s", lines).isLessThanOrEqualTo(1);
    }

    /** The next whole tag; null at the end, also when the player was stopped inside a tag. */
    private static FlvTag next(FlvTagReader reader) throws IOException {
        try {
            return reader.next();
        } catch (EOFException truncated) {
            return null;
        }
    }
}
