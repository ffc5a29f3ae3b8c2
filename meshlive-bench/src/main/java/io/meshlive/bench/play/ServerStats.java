package io.meshlive.bench.play;

import io.meshlive.testkit.Http1Clients;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the server says about the played streams ({@code GET /api/v1/streams}): viewers, skipped
 * frames and the latency it added, which the players cannot see from outside.
 *
 * @param error why the figures could not be had, or null
 */
public record ServerStats(URI source, List<StreamFigures> streams, String error) {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Server-added latency, microseconds. */
    public record Latency(long count, long p50, long p90, long p99, long max) {
        static Latency of(JsonNode n) {
            return new Latency(n.path("count").asLong(), n.path("p50").asLong(), n.path("p90").asLong(),
                    n.path("p99").asLong(), n.path("max").asLong());
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms over %d writes",
                    p50 / 1e3, p90 / 1e3, p99 / 1e3, max / 1e3, count);
        }
    }

    public record StreamFigures(String app, String stream, long viewers, long skippedFrames, Latency recent, Latency total) {
    }

    /** Fetches the figures of the streams named {@code app/stream} in {@code keys}; never throws for a server problem. */
    static ServerStats fetch(URI url, Set<String> keys) throws InterruptedException {
        HttpClient client = Http1Clients.builder().connectTimeout(TIMEOUT).build();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return new ServerStats(url, List.of(), "HTTP " + response.statusCode());
            }
            List<StreamFigures> found = new ArrayList<>();
            for (JsonNode s : JSON.readTree(response.body()).path("streams")) {
                String app = s.path("app").asText();
                String stream = s.path("stream").asText();
                if (keys.contains(app + "/" + stream)) {
                    JsonNode latency = s.path("latencyMicros");
                    found.add(new StreamFigures(app, stream, s.path("viewers").asLong(), s.path("skippedFrames").asLong(),
                            Latency.of(latency.path("recent")), Latency.of(latency.path("total"))));
                }
            }
            return new ServerStats(url, found, found.isEmpty() ? "none of the played streams is listed" : null);
        } catch (IOException e) {
            return new ServerStats(url, List.of(), e.toString());
        }
    }

    String describe() {
        StringBuilder b = new StringBuilder("server (" + source + "):");
        if (error != null) {
            b.append(' ').append(error);
        }
        for (StreamFigures s : streams) {
            b.append(String.format(Locale.ROOT, "%n  %s/%s: %d viewers, %d skipped frames%n    latency, last interval: %s%n"
                    + "    latency, whole stream:  %s", s.app(), s.stream(), s.viewers(), s.skippedFrames(), s.recent(), s.total()));
        }
        return b.append(System.lineSeparator()).toString();
    }
}
