package io.meshlive.server.it;

import io.meshlive.testkit.ExternalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * curl (/usr/bin/curl, built with nghttp2), a real HTTP/2 client: one invocation fetches one or
 * more URLs (with {@code -Z}, in parallel, multiplexed on one connection) and reports each
 * transfer as curl's {@code %{json}} write-out, with the body it saved.
 */
final class Curl {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One URL's transfer as curl saw it. */
    record Transfer(String url, String effectiveUrl, String redirectUrl, int status, String httpVersion, double seconds, int newConnections, String body) {
    }

    private Curl() {
    }

    /** Fetches {@code urls} with {@code options}; bodies go under {@code dir}. Transfers come back in the order of {@code urls}. */
    static List<Transfer> fetch(Path dir, List<String> options, String... urls) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "15", "-w", "%{json}\\n"));
        command.addAll(options);
        List<Path> bodies = new ArrayList<>();
        try {
            for (String url : urls) {
                Path body = Files.createTempFile(dir, "curl-", ".body");
                bodies.add(body);
                command.add("-o");
                command.add(body.toString());
                command.add(url);
            }
            try (ExternalProcess curl = ExternalProcess.start("curl", command)) {
                assertThat(curl.awaitExit(Duration.ofSeconds(30))).as(curl.describe()).isZero();
                List<Transfer> out = new ArrayList<>();
                for (int i = 0; i < urls.length; i++) {
                    out.add(null);
                }
                for (String line : curl.stdout().lines().toList()) {
                    JsonNode t = JSON.readTree(line);
                    Path body = Path.of(t.path("filename_effective").asText());
                    int index = bodies.indexOf(body);
                    assertThat(index).as("a transfer curl reported: %s", line).isNotNegative();
                    out.set(index, new Transfer(urls[index], t.path("url_effective").asText(), t.path("redirect_url").asText(), t.path("response_code").asInt(),
                            t.path("http_version").asText(), t.path("time_total").asDouble(), t.path("num_connects").asInt(),
                            Files.readString(body, StandardCharsets.ISO_8859_1)));
                }
                assertThat(out).as(curl.describe()).doesNotContainNull();
                return out;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Transfer fetchOne(Path dir, List<String> options, String url) {
        return fetch(dir, options, url).get(0);
    }
}
