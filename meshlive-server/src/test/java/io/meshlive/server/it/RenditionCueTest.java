package io.meshlive.server.it;

import io.meshlive.server.config.TranscodeConfig;
import io.meshlive.testkit.ExternalProcess;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.TestPattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cues posted to a transcoded source come out of its rendition too: a player of the rendition's
 * HTTP-FLV gets each as an {@code onCuePoint} script tag, with its id, stamped with the pts of the
 * cue's frame on the source, which is the timestamp of one of the rendition's own video frames.
 */
@Timeout(120)
class RenditionCueTest {
    private static final String SOURCE = "cuesrc";
    private static final String RENDITION = SOURCE + "_360p";
    private static final int MAX_TAGS = 20_000;
    private static TestServer server;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start(c -> {
            TranscodeConfig.Ladder ladder = new TranscodeConfig.Ladder();
            TranscodeConfig.Rendition r = new TranscodeConfig.Rendition();
            r.name = "360p";
            r.width = 640;
            r.height = 360;
            r.bitrateKbps = 700;
            ladder.renditions.add(r);
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
    void cuesOnTheSourceReachTheRenditionOnTheirFrames() throws Exception {
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl(SOURCE))) {
            server.awaitLive(SOURCE, publisher);
            server.awaitLive(RENDITION, publisher);
            List<FlvTag> tags = new CopyOnWriteArrayList<>();
            try (HttpFlvClient player = HttpFlvClient.open(server, RENDITION)) {
                Thread reader = new Thread(() -> read(player, tags), "rendition-flv-reader");
                reader.setDaemon(true);
                reader.start();
                await().atMost(Duration.ofSeconds(20)).until(() -> tags.stream().filter(FlvTag::isVideoFrame).count() > 10);

                CueApiClient api = new CueApiClient(server, SOURCE);
                Map<String, Double> ptsMsById = new LinkedHashMap<>();
                for (int i = 0; i < 4; i++) {
                    CueApiClient.Answer a = api.post("{\"kind\":\"product\",\"payload\":{\"sku\":\"r" + i + "\"}}");
                    assertThat(a.status()).as(a.text()).isEqualTo(201);
                    ptsMsById.put(a.body().path("id").asText(), a.body().path("ptsMs").asDouble());
                    TimeUnit.MILLISECONDS.sleep(300); // cues a few frames apart; the loop is bounded
                }
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    for (String id : ptsMsById.keySet()) {
                        assertThat(cueTag(tags, id)).as("onCuePoint of cue %s on the rendition", id).isNotNull();
                    }
                });
                // The frames around the cues have arrived by now (cues go out with their frame).
                await().atMost(Duration.ofSeconds(10)).until(() -> lastVideoTimestamp(tags)
                        > ptsMsById.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow() + 500);
                Set<Long> videoTimestamps = new TreeSet<>();
                tags.stream().filter(FlvTag::isVideoFrame).forEach(t -> videoTimestamps.add(t.timestamp()));
                for (Map.Entry<String, Double> cue : ptsMsById.entrySet()) {
                    FlvTag tag = cueTag(tags, cue.getKey());
                    assertThat(tag.timestamp()).as("cue %s: the tag's timestamp is the frame's pts on the source (%s ms)",
                            cue.getKey(), cue.getValue()).isBetween((long) Math.floor(cue.getValue()) - 1,
                            (long) Math.ceil(cue.getValue()) + 1);
                    assertThat(videoTimestamps).as("cue %s at %d ms is on a video frame of the rendition", cue.getKey(),
                            tag.timestamp()).contains(tag.timestamp());
                    assertThat(new String(tag.data(), StandardCharsets.UTF_8)).contains("\"sku\"");
                }
            }
        }
    }

    private static void read(HttpFlvClient player, List<FlvTag> tags) {
        try {
            FlvTagReader flv = player.flv();
            flv.readFileHeader();
            for (FlvTag t = flv.next(); t != null && tags.size() < MAX_TAGS; t = flv.next()) {
                tags.add(t);
            }
        } catch (IOException e) {
            // the test closes the socket when done; a missing cue then fails the awaits
        }
    }

    private static long lastVideoTimestamp(List<FlvTag> tags) {
        long last = -1;
        for (FlvTag t : tags) {
            if (t.isVideoFrame()) {
                last = Math.max(last, t.timestamp());
            }
        }
        return last;
    }

    /** The script tag that is an onCuePoint whose parameters carry {@code id}, or null. */
    private static FlvTag cueTag(List<FlvTag> tags, String id) {
        byte[] head = amfString("onCuePoint");
        ByteArrayOutputStream idEntry = new ByteArrayOutputStream();
        idEntry.writeBytes(new byte[] {0, 2, 'i', 'd'});
        idEntry.writeBytes(amfString(id));
        byte[] needle = idEntry.toByteArray();
        List<FlvTag> found = new ArrayList<>();
        for (FlvTag t : tags) {
            if (t.type() == FlvTag.SCRIPT && startsWith(t.data(), head) && indexOf(t.data(), needle) >= 0) {
                found.add(t);
            }
        }
        assertThat(found).as("onCuePoint tags of cue %s", id).hasSizeLessThanOrEqualTo(1);
        return found.isEmpty() ? null : found.get(0);
    }

    private static byte[] amfString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[3 + utf8.length];
        out[0] = 2;
        out[1] = (byte) (utf8.length >> 8);
        out[2] = (byte) utf8.length;
        System.arraycopy(utf8, 0, out, 3, utf8.length);
        return out;
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && java.util.Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }

    static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
