package io.meshlive.server.it;

import io.meshlive.testkit.Http1Clients;
import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One run of the console's live.html ({@code ?stamp=1}) in headless Chromium while cues are
 * posted through the API at a steady rate once the page shows pictures: what the page fired, and
 * for each cue posted, where it landed and when it was posted. The page may play from another
 * node than the one the cues are posted to (the cluster's edge and origin).
 */
final class CueViewerRun {
    /** A cue as posted: wall-clock ms when the POST was sent, its frame's pts (ms) and ingest wall-clock ms. */
    record Posted(long postedWallMillis, double ptsMillis, long ingestWallMillis) {
    }

    /** The page's last #state and the cues posted, by id. */
    record Result(JsonNode last, Map<String, Posted> posted) {
        boolean ours(JsonNode fired) {
            return posted.containsKey(fired.path("id").asText());
        }

        /**
         * Prints "cue API call → card on screen" (the page's wall clock when the card showed minus
         * the POST's) against the video's own latency on the same frames (the card's time minus the
         * frame's ingest time at the origin), p50 and p95, over the cues fired on their frame.
         */
        void printApiToCard(String label) {
            List<Long> apiToCard = new ArrayList<>();
            List<Long> video = new ArrayList<>();
            for (JsonNode fired : last.path("cues")) {
                Posted p = posted.get(fired.path("id").asText());
                if (p == null || fired.path("startup").asBoolean() || fired.path("source").asText().equals("daterange")) {
                    continue;
                }
                long shown = fired.path("wall").asLong();
                apiToCard.add(shown - p.postedWallMillis());
                video.add(shown - p.ingestWallMillis());
            }
            assertThat(apiToCard).as("cues shown: %s", last).isNotEmpty();
            long[] a = apiToCard.stream().mapToLong(Long::longValue).sorted().toArray();
            long[] v = video.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("cue API call -> card on screen, %s, over %d cues: p50 %d ms, p95 %d ms; "
                            + "video latency (frame's ingest -> card on screen) p50 %d ms, p95 %d ms; difference p50 %+d ms%n",
                    label, a.length, a[a.length / 2], a[(int) Math.ceil(a.length * 0.95) - 1],
                    v[v.length / 2], v[(int) Math.ceil(v.length * 0.95) - 1], a[a.length / 2] - v[v.length / 2]);
        }
    }

    private CueViewerRun() {
    }

    /** The console's live.html on {@code server}, playing {@code stream} via flv, llhls or whep, reading frame stamps. */
    static String livePage(TestServer server, String stream, String via) {
        return "http://127.0.0.1:" + server.httpPort() + "/console/live.html?stream=" + TestServer.APP + "/" + stream
                + "&via=" + via + "&stamp=1";
    }

    /** Waits until {@code server} has an HLS playlist of {@code stream} with a few segments, for hls.js to start on. */
    static void awaitPlaylist(TestServer server, String stream) {
        HttpClient http = Http1Clients.builder().followRedirects(HttpClient.Redirect.NORMAL).build();
        URI playlist = URI.create("http://127.0.0.1:" + server.httpPort() + "/" + TestServer.APP + "/" + stream + "/index.m3u8");
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(playlist).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().split("#EXTINF", -1).length > 3;
        });
    }

    /** Opens {@code pageUrl} for {@code playSeconds}; posts {@code cues} cues {@code spacingMillis} apart through {@code api}. */
    static Result run(String name, String pageUrl, CueApiClient api, int cues, long spacingMillis, int playSeconds, Path profile)
            throws Exception {
        Map<String, Posted> posted = new HashMap<>();
        JsonNode last;
        try (BrowserPage browser = BrowserPage.open(name, pageUrl, playSeconds, profile)) {
            // Cues go out once the page shows pictures: a cue whose frame came before that is not shown on it.
            await().atMost(Duration.ofSeconds(25)).until(() -> {
                JsonNode now = browser.latest();
                return now != null && now.path("frames").asInt() > 30;
            });
            long next = System.nanoTime();
            for (int i = 0; i < cues; i++) {
                long postedAt = System.currentTimeMillis();
                CueApiClient.Answer a = api.post("{\"kind\":\"product\",\"payload\":{\"title\":\"Item " + i + "\",\"price\":\"9.99\"}}");
                assertThat(a.status()).as(a.text()).isEqualTo(201);
                posted.put(a.body().path("id").asText(), new Posted(postedAt, a.body().path("ptsMs").asDouble(),
                        Instant.parse(a.body().path("ingestTime").asText()).toEpochMilli()));
                next += TimeUnit.MILLISECONDS.toNanos(spacingMillis);
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime())); // a steady cue rate, bounded by cues
            }
            last = browser.lastSample();
        }
        return new Result(last, posted);
    }
}
