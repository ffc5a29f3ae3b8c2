package io.meshlive.server.it;

import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LL-HLS over HTTP/2, driven by curl: h2c by prior knowledge and by {@code Upgrade: h2c}, and h2
 * over TLS chosen by ALPN (a certificate made at test time). Blocking reloads and preload-hint
 * part requests park on their streams while other streams of the same connection are answered.
 */
@Timeout(120)
class HlsHttp2Test {
    private static final String STREAM = "h2";
    private static final Pattern HINT = Pattern.compile("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part-(\\d+)\\.(\\d+)\\.m4s\\?session=([\\w-]+)\"");
    private static final Pattern PART = Pattern.compile("#EXT-X-PART:[^\\n]*URI=\"(part-\\d+\\.\\d+\\.m4s\\?session=[\\w-]+)\"");
    @TempDir
    static Path dir;
    private static TestServer server;
    private static ExternalProcess publisher;

    @BeforeAll
    static void startServerAndPublish() throws InterruptedException {
        TestCertificate cert = TestCertificate.make(dir);
        server = TestServer.start(c -> {
            c.http.tls.port = 0;
            c.http.tls.certFile = cert.certFile().toString();
            c.http.tls.keyFile = cert.keyFile().toString();
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

    private static String http(String path) {
        return "http://127.0.0.1:" + server.httpPort() + path;
    }

    private static String https(String path) {
        return "https://127.0.0.1:" + server.httpsPort() + path;
    }

    private static String playlistPath() {
        return "/" + TestServer.APP + "/" + STREAM + "/index.m3u8";
    }

    @Test
    void curlSpeaksHttp2() {
        try (ExternalProcess curl = ExternalProcess.start("curl-version", List.of("curl", "--version"))) {
            assertThat(curl.awaitExit(Duration.ofSeconds(10))).isZero();
            assertThat(curl.stdout()).as("curl built with HTTP/2").containsPattern("Features:.*HTTP2");
        }
    }

    @Test
    void priorKnowledgeH2cServesPlaylistsBlockingReloadsAndPreloadHints() {
        // One request per curl run: Debian's curl 7.88.1 cannot reuse a prior-knowledge
        // connection (it fails locally before sending the second request's HEADERS); several
        // streams on one connection are checked over TLS below.
        Curl.Transfer redirect = Curl.fetchOne(dir, List.of("--http2-prior-knowledge"), http(playlistPath()));
        assertThat(redirect.httpVersion()).isEqualTo("2");
        assertThat(redirect.status()).as("admitted, sent to its session's URL").isEqualTo(302);
        Curl.Transfer first = Curl.fetchOne(dir, List.of("--http2-prior-knowledge"), redirect.redirectUrl());
        assertThat(first.httpVersion()).isEqualTo("2");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        Matcher hint = HINT.matcher(first.body());
        assertThat(hint.find()).as(first.body()).isTrue();
        String base = http("/" + TestServer.APP + "/" + STREAM + "/");
        String position = "_HLS_msn=" + hint.group(1) + "&_HLS_part=" + hint.group(2);

        Curl.Transfer blocked = Curl.fetchOne(dir, List.of("--http2-prior-knowledge"),
                base + "index.m3u8?" + position + "&session=" + hint.group(3));
        assertThat(blocked.httpVersion()).isEqualTo("2");
        assertThat(blocked.status()).isEqualTo(200);
        assertThat(blocked.body()).contains("part-" + hint.group(1) + "." + hint.group(2) + ".m4s");
        Matcher next = HINT.matcher(blocked.body());
        assertThat(next.find()).as(blocked.body()).isTrue();
        Curl.Transfer part = Curl.fetchOne(dir, List.of("--http2-prior-knowledge"),
                base + "part-" + next.group(1) + "." + next.group(2) + ".m4s?session=" + next.group(3));
        assertThat(part.httpVersion()).isEqualTo("2");
        assertThat(part.status()).as("the preload hint, answered when cut").isEqualTo(200);
        assertThat(part.body().substring(4, 8)).isEqualTo("prft");
    }

    @Test
    void oneH2ConnectionCarriesParkedRequestsAndOrdinaryOnesAtOnce() {
        Curl.Transfer first = Curl.fetchOne(dir, List.of("-k", "--http2", "-L"), https(playlistPath()));
        assertThat(first.httpVersion()).isEqualTo("2");
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.effectiveUrl()).as("redirected to the session's URL").contains("session=");
        Matcher hint = HINT.matcher(first.body());
        assertThat(hint.find()).as(first.body()).isTrue();
        long msn = Long.parseLong(hint.group(1));
        int part = Integer.parseInt(hint.group(2));
        String token = hint.group(3);
        String existingPart = lastPart(first.body());
        String base = https("/" + TestServer.APP + "/" + STREAM + "/");

        // One connection, five streams: the next segment's first part as a blocking reload, the
        // hinted part (parks until cut), and three things that exist now.
        List<Curl.Transfer> batch = Curl.fetch(dir, List.of("-k", "--http2", "-Z"),
                base + "index.m3u8?_HLS_msn=" + (msn + 1) + "&_HLS_part=0&session=" + token,
                base + "part-" + msn + "." + part + ".m4s?session=" + token,
                base + existingPart,
                base + "init.mp4?session=" + token,
                https("/api/v1/health"));
        assertThat(batch).allSatisfy(t -> {
            assertThat(t.httpVersion()).as(t.url()).isEqualTo("2");
            assertThat(t.status()).as(t.url() + ": " + t.body()).isEqualTo(200);
        });
        assertThat(batch.stream().mapToInt(Curl.Transfer::newConnections).sum()).as("all on one connection").isEqualTo(1);
        Curl.Transfer blocked = batch.get(0);
        assertThat(blocked.body()).contains("part-" + (msn + 1) + ".0.m4s");
        assertThat(blocked.seconds()).as("the reload waited for its part").isGreaterThan(0.15);
        assertThat(batch.get(2).seconds()).as("an existing part is not held behind the parked streams")
                .isLessThan(blocked.seconds() - 0.1);
        assertThat(batch.get(1).body().substring(4, 8)).as("the hinted part is a fragment").isEqualTo("prft");
    }

    @Test
    void upgradeFromHttp11AnswersTheBlockingReloadOnStreamOne() {
        Curl.Transfer first = Curl.fetchOne(dir, List.of("--http2", "-L"), http(playlistPath()));
        assertThat(first.httpVersion()).isEqualTo("2");
        assertThat(first.status()).isEqualTo(200);
        Matcher hint = HINT.matcher(first.body());
        assertThat(hint.find()).as(first.body()).isTrue();
        String wanted = "part-" + hint.group(1) + "." + hint.group(2) + ".m4s";
        Curl.Transfer blocked = Curl.fetchOne(dir, List.of("--http2"), http(playlistPath() + "?_HLS_msn=" + hint.group(1)
                + "&_HLS_part=" + hint.group(2) + "&session=" + hint.group(3)));
        assertThat(blocked.httpVersion()).as("the upgrade request itself answered over HTTP/2").isEqualTo("2");
        assertThat(blocked.status()).isEqualTo(200);
        assertThat(blocked.body()).contains(wanted);
    }

    @Test
    void tlsNegotiatesH2ByAlpnAndStillServesHttp11() {
        Curl.Transfer h2 = Curl.fetchOne(dir, List.of("-k", "--http2", "-L"), https(playlistPath()));
        assertThat(h2.httpVersion()).isEqualTo("2");
        assertThat(h2.status()).isEqualTo(200);
        Matcher hint = HINT.matcher(h2.body());
        assertThat(hint.find()).as(h2.body()).isTrue();
        Curl.Transfer part = Curl.fetchOne(dir, List.of("-k", "--http2"), https("/" + TestServer.APP + "/" + STREAM
                + "/part-" + hint.group(1) + "." + hint.group(2) + ".m4s?session=" + hint.group(3)));
        assertThat(part.httpVersion()).isEqualTo("2");
        assertThat(part.status()).as("the preload hint, answered when cut").isEqualTo(200);

        Curl.Transfer h1 = Curl.fetchOne(dir, List.of("-k", "--http1.1", "-L"), https(playlistPath()));
        assertThat(h1.httpVersion()).isEqualTo("1.1");
        assertThat(h1.status()).isEqualTo(200);
        assertThat(h1.body()).contains("#EXT-X-PART:");
    }

    @Test
    void httpFlvPlaysOnAnHttp2StreamBesideOtherStreams() throws Exception {
        // A live FLV body never ends: curl stops after 2 s (exit 28) with what it received.
        Path flv = dir.resolve("h2.flv");
        try (ExternalProcess curl = ExternalProcess.start("curl-flv", List.of("curl", "-sSk", "--http2", "--max-time", "2",
                "-w", "%{http_version} %{response_code}", "-o", flv.toString(), https("/" + TestServer.APP + "/" + STREAM + ".flv")))) {
            assertThat(curl.awaitExit(Duration.ofSeconds(10))).as(curl.describe()).isEqualTo(28);
            assertThat(curl.stdout()).isEqualTo("2 200");
        }
        byte[] bytes = java.nio.file.Files.readAllBytes(flv);
        assertThat(new String(bytes, 0, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("FLV");
        assertThat(bytes.length).as("about 2 s of media").isGreaterThan(20_000);
        int firstTagType = bytes[13];
        assertThat(firstTagType).as("the first tag after the header, unframed").isIn(8, 9, 18);

        List<Curl.Transfer> beside = Curl.fetch(dir, List.of("-k", "--http2", "-Z", "-L", "--max-time", "3"),
                https(playlistPath()), https("/api/v1/health"));
        assertThat(beside).allSatisfy(t -> {
            assertThat(t.httpVersion()).isEqualTo("2");
            assertThat(t.status()).isEqualTo(200);
        });
    }

    private static String lastPart(String playlist) {
        Matcher m = PART.matcher(playlist);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        assertThat(last).as(playlist).isNotNull();
        return last;
    }
}
