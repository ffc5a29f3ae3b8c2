package io.meshlive.server.it;

import io.meshlive.testkit.Http1Clients;
import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console page at {@code /} in a real browser: Debian's Chromium, headless, loads it while
 * ffmpeg publishes, and the DOM it renders lists the stream; a screenshot is kept in
 * {@code target/it-artifacts/console.png} to look at. Chromium is required (./run-tests installs
 * it): without it the test fails rather than skips.
 */
@Timeout(120)
class ConsolePageTest {
    private static final String STREAM = "console";
    private static final Path ARTIFACTS = Path.of("target", "it-artifacts");
    static final Duration BROWSER_LIMIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = Http1Clients.builder().connectTimeout(Duration.ofSeconds(2)).build();
    private static TestServer server;
    @TempDir
    Path profile;

    @BeforeAll
    static void startServer() throws InterruptedException {
        // Stats intervals of 1 s, so the latency column has a closed interval to show within the test.
        server = TestServer.start(c -> c.stats.logIntervalSeconds = 1);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void chromiumShowsTheLiveStreamAndTakesAScreenshot() throws Exception {
        String chromium = chromium(); // fails before publishing when there is no browser
        String page = "http://127.0.0.1:" + server.httpPort() + "/";
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl(STREAM));
             FlvWatcher viewer = startViewer(publisher)) {
            java.net.http.HttpResponse<String> forbidden = Http1Clients.builder().build().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(page + "api/v1/streams/live/banned/forbid"))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"reason\":\"off-brand\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(forbidden.statusCode()).as(forbidden.body()).isEqualTo(200);
            String nodeId = server.api("/api/v1/cluster/nodes").path("nodes").get(0).path("id").asText();
            try (ExternalProcess dump = ExternalProcess.start("chromium-dump-dom", browser(chromium, profile.resolve("dump"), "--dump-dom", page))) {
                assertThat(dump.awaitExit(BROWSER_LIMIT)).as(dump.describe()).isZero();
                assertThat(dump.stdout()).as("the DOM Chromium rendered (%s)", dump.describe())
                        .contains("<td>" + TestServer.APP + "/" + STREAM + "</td>")
                        .contains("h264 " + TestPattern.WIDTH + "x" + TestPattern.HEIGHT)
                        .contains("<td>1 (http-flv 1)</td>")
                        .containsPattern("<td class=\"num\">[0-9.]+ / [0-9.]+ ms</td>")
                        .contains("<td>publisher</td>")
                        .contains("<td>live/banned</td>").contains("<td>off-brand</td>").contains(">Lift</button>")
                        .contains("<td>" + nodeId + " (this node)</td>")
                        .containsPattern("<li>" + java.util.regex.Pattern.quote(nodeId) + ": 1 viewer\\(s\\), \\+[0-9.]+ / [0-9.]+ ms")
                        .contains("no route decided") // a single node with the static tree: the brain section says so
                        .doesNotContain("class=\"error\"");
            }

            Files.createDirectories(ARTIFACTS);
            Path png = ARTIFACTS.resolve("console.png").toAbsolutePath();
            Files.deleteIfExists(png);
            try (ExternalProcess shot = ExternalProcess.start("chromium-screenshot", browser(chromium, profile.resolve("shot"), "--screenshot=" + png, page))) {
                assertThat(shot.awaitExit(BROWSER_LIMIT)).as(shot.describe()).isZero();
                assertThat(png).as("screenshot written: %s", shot.describe()).exists();
                assertThat(Files.size(png)).as("screenshot size of %s", png).isGreaterThan(10_000);
            }
        }
    }

    /** An HTTP-FLV viewer on the live stream, once a stats interval with its latency has closed. */
    private static FlvWatcher startViewer(ExternalProcess publisher) throws Exception {
        server.awaitLive(STREAM, publisher);
        FlvWatcher viewer = FlvWatcher.start(server, STREAM);
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> viewer.videoFrames() > 0
                    && server.apiStream(STREAM).path("latencyMicros").path("recent").path("count").asLong() > 0);
            return viewer;
        } catch (RuntimeException | Error e) {
            viewer.close();
            throw e;
        }
    }

    @Test
    void servesTheConsoleFilesAndNothingElse() throws Exception {
        HttpResponse<String> index = get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(index.headers().firstValue("cache-control")).hasValue("no-cache");
        assertThat(index.body()).contains("<title>meshlive console</title>");

        HttpResponse<String> script = get("/console/mpegts.js");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(script.body()).startsWith("/*! For license information please see mpegts.js.LICENSE.txt */");
        assertThat(get("/console/mpegts.js.LICENSE.txt").statusCode()).isEqualTo(200);

        for (String outside : List.of("/console/../pom.xml", "/console/%2e%2e/pom.xml", "/console/..%2fpom.xml",
                "/console/nope.js", "/console/mpegts.js.map", "/index.html", "/console/sub/index.html")) {
            assertThat(get(outside).statusCode()).as(outside).isEqualTo(404);
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .timeout(Duration.ofSeconds(5)).build();
        return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    }

    /** Headless Chromium on {@code page}, with its own profile, no network of its own and a virtual-time budget for the 2 s refresh. */
    static List<String> browser(String chromium, Path profile, String output, String page) {
        return new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1280,900", "--virtual-time-budget=6000",
                output, page));
    }

    static String chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "chromium");
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError("chromium is not on PATH: this test drives the console in a real browser. "
                + "Install it (apt-get install -y chromium) or run ./run-tests, which does.");
    }
}
