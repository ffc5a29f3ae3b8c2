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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HLS and LL-HLS from memory, read by ffprobe and ffmpeg; LL-HLS blocking reloads and preload
 * hints answered when the part is cut, and requests for what cannot exist refused quickly.
 */
@Timeout(90)
class HlsPlaybackTest {
    private static final Pattern HINT = Pattern.compile("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part-(\\d+)\\.(\\d+)\\.m4s\\?session=([\\w-]+)\"");
    /** Follows the redirect that gives a new player its session token, as players do. */
    private static final HttpClient HTTP = Http1Clients.builder().followRedirects(HttpClient.Redirect.NORMAL).build();
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

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void bothPlaylistsPlayInFfmpegAndLowLatencyRequestsWaitForTheirPart() throws Exception {
        String base = "http://127.0.0.1:" + server.httpPort() + "/live/";
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl("hls"))) {
            server.awaitLive("hls", publisher);
            for (String playlist : new String[] {base + "hls.m3u8", base + "hls/index.m3u8"}) {
                assertThat(Ffmpeg.probe(playlist)).as(playlist)
                        .anySatisfy(s -> assertThat(s.codec() + " " + s.width() + "x" + s.height())
                                .isEqualTo("h264 " + TestPattern.WIDTH + "x" + TestPattern.HEIGHT))
                        .anySatisfy(s -> assertThat(s.codec()).isEqualTo("aac"));
                Ffmpeg.Pull pull = Ffmpeg.pull(playlist, Duration.ofSeconds(3));
                assertThat(pull.exitCode()).as(pull.description()).isZero();
                assertThat(pull.errors()).as("decode errors reading %s", playlist).isEmpty();
                assertThat(pull.frames()).as("frames read from %s", playlist).isGreaterThanOrEqualTo(80);
            }

            HttpResponse<String> live = get("/live/hls/index.m3u8");
            assertThat(live.headers().firstValue("cache-control")).hasValue("no-cache");
            assertThat(live.body()).contains("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES").contains("INDEPENDENT=YES");
            Matcher hint = HINT.matcher(live.body());
            assertThat(hint.find()).as(live.body()).isTrue();
            long msn = Long.parseLong(hint.group(1));
            int part = Integer.parseInt(hint.group(2));
            String token = "&session=" + hint.group(3);

            long t0 = System.nanoTime();
            HttpResponse<String> blocked = get("/live/hls/index.m3u8?_HLS_msn=" + msn + "&_HLS_part=" + part + token);
            long waitedMillis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(blocked.statusCode()).isEqualTo(200);
            assertThat(blocked.body()).contains("part-" + msn + "." + part + ".m4s");
            assertThat(waitedMillis).as("answered when the 200 ms part was cut, not after a poll or timeout").isLessThan(1000);

            // The next hint, as a player reads it: the next part of this segment, or the next
            // segment's first when the part waited for was its segment's last.
            Matcher next = HINT.matcher(blocked.body());
            assertThat(next.find()).as(blocked.body()).isTrue();
            String nextPart = next.group(1) + "." + next.group(2);
            HttpResponse<byte[]> preload = HTTP.send(HttpRequest.newBuilder(URI.create(base + "hls/part-" + nextPart + ".m4s?" + token.substring(1)))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(preload.statusCode()).as("preload of part %s after part %d.%d: %s", nextPart, msn, part,
                    new String(preload.body(), java.nio.charset.StandardCharsets.UTF_8).trim()).isEqualTo(200);
            assertThat(new String(preload.body(), 4, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("prft");
            assertThat(preload.headers().firstValue("cache-control")).hasValueSatisfying(v -> assertThat(v).contains("immutable"));

            assertThat(get("/live/hls/index.m3u8?_HLS_msn=" + (msn + 100) + token).statusCode()).as("msn far ahead").isEqualTo(400);
            assertThat(get("/live/hls/seg-0.m4s").statusCode()).as("long gone or never").isIn(200, 404);
            assertThat(get("/live/hls/part-0.999.m4s").statusCode()).isEqualTo(404);

            // HLS players are sessions too: counted per protocol, with bytes, and kickable.
            com.fasterxml.jackson.databind.JsonNode stream = server.apiStream("hls");
            assertThat(stream.path("viewersByProtocol").path("ll-hls").asInt()).as(stream.toString()).isGreaterThanOrEqualTo(1);
            assertThat(stream.path("viewersByProtocol").path("hls").asInt()).as(stream.toString()).isGreaterThanOrEqualTo(1);
            int kicked = 0;
            for (com.fasterxml.jackson.databind.JsonNode session : server.api("/api/v1/sessions").path("sessions")) {
                if (session.path("protocol").asText().equals("ll-hls")) {
                    assertThat(session.path("bytesOut").asLong()).as(session.toString()).isPositive();
                    HttpResponse<String> kick = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                            + "/api/v1/sessions/" + session.path("id").asLong())).DELETE().build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(kick.statusCode()).isEqualTo(204);
                    kicked++;
                }
            }
            assertThat(kicked).isPositive();
            assertThat(get("/live/hls/index.m3u8?" + token.substring(1)).statusCode()).as("a kicked session is refused").isEqualTo(403);
            assertThat(get("/live/hls.m3u8").statusCode()).as("classic HLS sessions were not kicked").isEqualTo(200);
        }
        assertThat(get("/live/nothing.m3u8").statusCode()).as("unknown stream").isEqualTo(404);
    }

    /**
     * A player following every preload hint with a blocking reload for it, as hls.js does, is
     * only ever hinted parts that come: across segment boundaries the hint names the next
     * segment's first part, never one past the end of the segment just closed.
     */
    @Test
    void everyPreloadHintNamesAPartThatIsProduced() throws Exception {
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl("hints"))) {
            server.awaitLive("hints", publisher);
            HttpResponse<String> playlist = get("/live/hints/index.m3u8");
            java.util.List<String> hinted = new java.util.ArrayList<>();
            java.util.Set<Long> segments = new java.util.HashSet<>();
            Matcher hint = HINT.matcher(playlist.body());
            assertThat(hint.find()).as(playlist.body()).isTrue();
            String session = hint.group(3);
            // 15 parts of 200 ms: three segment boundaries at least.
            for (int i = 0; i < 15; i++) {
                hinted.add("part-" + hint.group(1) + "." + hint.group(2) + ".m4s");
                segments.add(Long.parseLong(hint.group(1)));
                playlist = get("/live/hints/index.m3u8?_HLS_msn=" + hint.group(1) + "&_HLS_part=" + hint.group(2) + "&session=" + session);
                assertThat(playlist.statusCode()).isEqualTo(200);
                assertThat(playlist.body()).as("the reload waited for the hinted part").contains(hinted.get(i) + "?session=");
                hint = HINT.matcher(playlist.body());
                assertThat(hint.find()).as(playlist.body()).isTrue();
            }
            assertThat(segments).as("the hints crossed segment boundaries").hasSizeGreaterThanOrEqualTo(3);
            for (String part : hinted) {
                assertThat(get("/live/hints/" + part + "?session=" + session).statusCode()).as(part).isEqualTo(200);
            }
        }
    }
}
