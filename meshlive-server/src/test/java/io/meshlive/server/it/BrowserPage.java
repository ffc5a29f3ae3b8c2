package io.meshlive.server.it;

import io.meshlive.testkit.ExternalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page of the console opened in Debian's headless Chromium for a while, driven by
 * playwright-core ({@code src/test/browser/play-page.mjs}), which prints the page's {@code #state}
 * JSON every 500 ms. Without node, the npm modules or Chromium the calling test fails, never skips.
 */
final class BrowserPage implements AutoCloseable {
    private static final Path BROWSER = Path.of("src", "test", "browser");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ExternalProcess process;
    private final int seconds;

    private BrowserPage(ExternalProcess process, int seconds) {
        this.process = process;
        this.seconds = seconds;
    }

    /** Starts Chromium on {@code url} for {@code seconds}; {@code profile} is a fresh directory. */
    static BrowserPage open(String name, String url, int seconds, Path profile) {
        return open(name, url, seconds, profile, null);
    }

    /** As {@link #open(String, String, int, Path)}, evaluating {@code script} in the page once it has loaded. */
    static BrowserPage open(String name, String url, int seconds, Path profile, String script) {
        assertThat(BROWSER.resolve("node_modules").resolve("playwright-core")).as(
                "playwright-core is not installed: run `npm ci --prefix meshlive-server/src/test/browser` (./run-tests does)")
                .isDirectory();
        Path driver = BROWSER.resolve("play-page.mjs").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(node(), driver.toString(), url, String.valueOf(seconds),
                profile.toString()));
        if (script != null) {
            command.add(script);
        }
        return new BrowserPage(ExternalProcess.start(name, command), seconds);
    }

    /** Waits for the run to end and returns every sample; fails if Chromium could not be driven. */
    List<JsonNode> samples() throws IOException {
        assertThat(process.awaitExit(Duration.ofSeconds(seconds + 30))).as(process.describe()).isZero();
        List<JsonNode> samples = new ArrayList<>();
        for (String line : process.stdout().lines().toList()) {
            samples.add(JSON.readTree(line));
        }
        assertThat(samples).as(process.describe()).hasSizeGreaterThanOrEqualTo(seconds * 2 - 4);
        return samples;
    }

    String describe() {
        return process.describe();
    }

    /** Waits for the run to end and returns its last sample, for pages whose state accumulates. */
    JsonNode lastSample() throws IOException {
        assertThat(process.awaitExit(Duration.ofSeconds(seconds + 30))).as(process.describe()).isZero();
        JsonNode last = latest();
        assertThat(last).as(process.describe()).isNotNull();
        return last;
    }

    /** The latest sample printed so far, while the page runs; null before the first. */
    JsonNode latest() throws IOException {
        List<String> lines = process.stdout().lines().filter(l -> l.startsWith("{")).toList();
        return lines.isEmpty() ? null : JSON.readTree(lines.get(lines.size() - 1));
    }

    @Override
    public void close() {
        process.close();
    }

    private static String node() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "node");
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError("node is not on PATH: browser tests drive Chromium with playwright-core. "
                + "Install it (apt-get install -y nodejs npm) or run ./run-tests, which does.");
    }
}
