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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What players other than ours send first: HEAD probes and CORS preflights on every HTTP route
 * (playlists, init segment, segments, parts, FLV, WHEP), CORS headers naming an allowed origin,
 * an LL-HLS request with {@code _HLS_part} but no {@code _HLS_msn}, and RTMP's
 * {@code getStreamLength}, which libavformat-based players send before playing.
 */
@Timeout(90)
class PlayerProbesTest {
    private static final String STREAM = "probes";
    private static final String SHOP = "https://shop.example.com";
    private static final Pattern PART = Pattern.compile("part-(\\d+)\\.(\\d+)\\.m4s\\?session=([\\w-]+)");
    private static final HttpClient HTTP = Http1Clients.builder().followRedirects(HttpClient.Redirect.NORMAL).build();
    private static TestServer server;
    private static TestServer restricted;
    private static ExternalProcess publisher;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start();
        restricted = TestServer.start(c -> c.http.cors.allowedOrigins = List.of(SHOP));
        publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl(STREAM));
        server.awaitLive(STREAM, publisher);
        // Three whole LL-HLS segments, so one before the first listed part is still in the window.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> new String(send(server, "GET", "/live/" + STREAM + "/index.m3u8").body()).split("#EXTINF", -1).length > 4);
    }

    @AfterAll
    static void stop() {
        if (publisher != null) {
            publisher.close();
        }
        for (TestServer s : new TestServer[] {server, restricted}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private static HttpResponse<byte[]> send(TestServer s, String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void headAnswersEveryHlsAndFlvResourceWithTheLengthAGetWouldHaveAndNoBody() throws Exception {
        HttpResponse<byte[]> playlist = send(server, "GET", "/live/" + STREAM + "/index.m3u8");
        Matcher part = PART.matcher(new String(playlist.body()));
        assertThat(part.find()).as(new String(playlist.body())).isTrue();
        String token = "?session=" + part.group(3);
        String classicToken = send(server, "GET", "/live/" + STREAM + ".m3u8").uri().getQuery();
        List<String> resources = List.of(
                "/live/" + STREAM + "/index.m3u8" + token,
                "/live/" + STREAM + "/init.mp4" + token,
                "/live/" + STREAM + "/part-" + part.group(1) + "." + part.group(2) + ".m4s" + token,
                "/live/" + STREAM + "/seg-" + (Long.parseLong(part.group(1)) - 1) + ".m4s" + token,
                "/live/" + STREAM + ".m3u8?" + classicToken);
        for (String path : resources) {
            HttpResponse<byte[]> head = send(server, "HEAD", path);
            assertThat(head.statusCode()).as("HEAD %s", path).isEqualTo(200);
            assertThat(head.body()).as("HEAD %s has no body", path).isEmpty();
            long length = head.headers().firstValueAsLong("content-length").orElse(-1);
            assertThat(length).as("HEAD %s Content-Length", path).isPositive();
            if (!path.contains(".m3u8")) { // media is immutable: the GET is exactly as long
                assertThat(send(server, "GET", path).body()).as("GET %s", path).hasSize((int) length);
            }
            assertThat(head.headers().firstValue("access-control-allow-origin")).as("HEAD %s", path).hasValue("*");
        }
        HttpResponse<byte[]> flv = send(server, "HEAD", "/live/" + STREAM + ".flv");
        assertThat(flv.statusCode()).isEqualTo(200);
        assertThat(flv.headers().firstValue("content-type")).hasValue("video/x-flv");
    }

    @Test
    void aCorsPreflightIsAnsweredOnEveryRouteAndAllowsThePlayersOwnHeaders() throws Exception {
        for (String path : List.of("/live/" + STREAM + "/index.m3u8", "/live/" + STREAM + ".m3u8", "/live/" + STREAM + "/init.mp4",
                "/live/" + STREAM + "/part-3.1.m4s", "/live/" + STREAM + "/seg-3.ts", "/live/" + STREAM + ".flv", "/live/" + STREAM + "/whep")) {
            HttpResponse<byte[]> preflight = send(server, "OPTIONS", path, "Origin", SHOP,
                    "Access-Control-Request-Method", path.endsWith("whep") ? "POST" : "GET",
                    "Access-Control-Request-Headers", "authorization,x-player-id");
            assertThat(preflight.statusCode()).as("OPTIONS %s", path).isIn(200, 204);
            assertThat(preflight.headers().firstValue("access-control-allow-origin")).as("OPTIONS %s", path).hasValue("*");
            assertThat(preflight.headers().firstValue("access-control-allow-methods")).as("OPTIONS %s", path)
                    .hasValueSatisfying(v -> assertThat(v).contains(path.endsWith("whep") ? "POST" : "GET"));
            assertThat(preflight.headers().firstValue("access-control-allow-headers")).as("OPTIONS %s", path)
                    .hasValueSatisfying(v -> assertThat(v.toLowerCase()).contains("authorization"));
        }
        assertThat(send(server, "OPTIONS", "/live/" + STREAM + "/whep").headers().firstValue("accept-post")).hasValue("application/sdp");
    }

    @Test
    void onlyConfiguredOriginsAreNamedWhenTheListIsRestricted() throws Exception {
        HttpResponse<byte[]> allowed = send(restricted, "GET", "/api/v1/health", "Origin", SHOP);
        assertThat(allowed.headers().firstValue("access-control-allow-origin")).hasValue(SHOP);
        assertThat(allowed.headers().allValues("vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("origin"));
        HttpResponse<byte[]> other = send(restricted, "GET", "/api/v1/health", "Origin", "https://elsewhere.example.org");
        assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
        HttpResponse<byte[]> preflight = send(restricted, "OPTIONS", "/live/x/index.m3u8", "Origin", "https://elsewhere.example.org",
                "Access-Control-Request-Method", "GET");
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).isEmpty();
        assertThat(preflight.headers().firstValue("access-control-allow-methods")).isEmpty();
    }

    @Test
    void aPartWithoutItsSegmentNumberIsABadRequest() throws Exception {
        HttpResponse<byte[]> playlist = send(server, "GET", "/live/" + STREAM + "/index.m3u8");
        Matcher part = PART.matcher(new String(playlist.body()));
        assertThat(part.find()).isTrue();
        HttpResponse<byte[]> r = send(server, "GET", "/live/" + STREAM + "/index.m3u8?_HLS_part=1&session=" + part.group(3));
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(400);
        assertThat(new String(r.body())).contains("_HLS_msn");
    }

    @Test
    void getStreamLengthIsAnsweredWithZeroForALiveStream() throws Exception {
        try (RawRtmpClient client = RawRtmpClient.connect(server)) {
            client.handshake();
            client.connect(TestServer.APP);
            assertThat(client.awaitReply(1.0).get(0)).isEqualTo("_result");
            client.send(io.meshlive.rtmp.RtmpWire.command(io.netty.buffer.ByteBufAllocator.DEFAULT, 0, RawRtmpClient.CHUNK_SIZE,
                    "getStreamLength", 2.0, null, STREAM));
            List<Object> reply = client.awaitReply(2.0);
            assertThat(reply).as("getStreamLength's answer").hasSize(4);
            assertThat(reply.get(0)).isEqualTo("_result");
            assertThat(reply.get(3)).as("the length of a live stream").isEqualTo(0.0);
        }
    }
}
