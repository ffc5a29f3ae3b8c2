package io.meshlive.server.it;

import io.meshlive.testkit.Http1Clients;
import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import io.meshlive.server.ServerConfig;
import io.meshlive.server.control.UrlSigner;
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
 * HLS play goes through the node's admission like RTMP and FLV play: signed URLs (the app
 * requires a signature to play, not to publish), forbids, and sessions named by the token the
 * playlist puts on every URI, which is what the viewer count and a kick act on.
 */
@Timeout(120)
class HlsAdmissionTest {
    private static final String SECRET = "hls-secret";
    private static final String STREAM = "admitted";
    private static final Pattern PART = Pattern.compile("URI=\"(part-\\d+\\.\\d+\\.m4s\\?session=([\\w-]+))\"");
    private static final HttpClient HTTP = Http1Clients.builder().followRedirects(HttpClient.Redirect.NORMAL).build();
    private static TestServer server;
    private static ExternalProcess publisher;

    @BeforeAll
    static void startServerAndPublish() throws InterruptedException {
        server = TestServer.start(c -> {
            ServerConfig.Signing signing = new ServerConfig.Signing();
            signing.secret = SECRET;
            signing.publish = false;
            c.signing.put(TestServer.APP, signing);
        });
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

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String signed(String stream, long expires) {
        return "expires=" + expires + "&sign=" + UrlSigner.sign(SECRET, TestServer.APP, stream, expires, null);
    }

    private static long inAnHour() {
        return System.currentTimeMillis() / 1000 + 3600;
    }

    @Test
    void aSignedUrlIsNeededToStartPlayingAndTheTokenAfterwards() throws Exception {
        String playlist = "/" + TestServer.APP + "/" + STREAM + "/index.m3u8";
        HttpResponse<String> valid = get(playlist + "?" + signed(STREAM, inAnHour()));
        assertThat(valid.statusCode()).as(valid.body()).isEqualTo(200);
        assertThat(valid.uri().getQuery()).as("redirected to the session's URL").contains("session=");

        HttpResponse<String> missing = get(playlist);
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(missing.body()).contains("bad-signature");
        long anHourAgo = System.currentTimeMillis() / 1000 - 3600;
        HttpResponse<String> expired = get(playlist + "?" + signed(STREAM, anHourAgo));
        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(expired.body()).contains("expired");
        assertThat(get("/" + TestServer.APP + "/" + STREAM + ".m3u8").statusCode()).as("classic HLS too").isEqualTo(403);

        Matcher part = PART.matcher(valid.body());
        assertThat(part.find()).as(valid.body()).isTrue();
        String partUri = part.group(1);
        String media = "/" + TestServer.APP + "/" + STREAM + "/";
        assertThat(get(media + partUri).statusCode()).as("a media URI of the playlist, with its token").isEqualTo(200);
        assertThat(get(media + partUri.substring(0, partUri.indexOf('?'))).statusCode()).as("the same without a token").isEqualTo(403);
        assertThat(get(media + partUri.substring(0, partUri.indexOf('?')) + "?session=AAAAAAAAAAAAAAAAAAAAAA").statusCode())
                .as("with a token of no session and no signature").isEqualTo(403);
        assertThat(get(playlist + "?session=" + part.group(2)).statusCode()).as("the reload of the session's playlist").isEqualTo(200);
    }

    @Test
    void viewersAreCountedByTokenAndAKickedSessionIsRefused() throws Exception {
        String stream = "counted";
        try (ExternalProcess second = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl(stream))) {
            server.awaitLive(stream, second);
            String playlist = "/" + TestServer.APP + "/" + stream + "/index.m3u8";
            String[] tokens = new String[2];
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> r = get(playlist + "?" + signed(stream, inAnHour()));
                assertThat(r.statusCode()).isEqualTo(200);
                Matcher part = PART.matcher(r.body());
                assertThat(part.find()).as(r.body()).isTrue();
                tokens[i] = part.group(2);
                // Later requests of a player, with its token, are the same session.
                assertThat(get("/" + TestServer.APP + "/" + stream + "/" + part.group(1)).statusCode()).isEqualTo(200);
                assertThat(get(playlist + "?session=" + tokens[i]).statusCode()).isEqualTo(200);
            }
            assertThat(tokens[0]).isNotEqualTo(tokens[1]);
            JsonNode s = server.apiStream(stream);
            assertThat(s.path("viewersByProtocol").path("ll-hls").asInt()).as("two players from one address: %s", s).isEqualTo(2);

            long kicked = -1;
            for (JsonNode session : server.api("/api/v1/sessions").path("sessions")) {
                if (session.path("protocol").asText().equals("ll-hls") && session.path("stream").asText().contains(stream)) {
                    kicked = session.path("id").asLong();
                    break;
                }
            }
            assertThat(kicked).isPositive();
            HttpResponse<String> kick = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                    + "/api/v1/sessions/" + kicked)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(kick.statusCode()).isEqualTo(204);
            int refused = 0;
            for (String token : tokens) {
                HttpResponse<String> init = get("/" + TestServer.APP + "/" + stream + "/init.mp4?session=" + token);
                if (init.statusCode() == 403) {
                    refused++;
                    assertThat(init.body()).contains("kicked");
                } else {
                    assertThat(init.statusCode()).isEqualTo(200);
                }
            }
            assertThat(refused).as("the kicked session only").isEqualTo(1);
            assertThat(server.apiStream(stream).path("viewersByProtocol").path("ll-hls").asInt()).isEqualTo(1);
        }
    }
}
