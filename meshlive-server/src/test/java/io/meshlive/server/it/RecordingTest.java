package io.meshlive.server.it;

import io.meshlive.testkit.Http1Clients;
import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import io.meshlive.server.record.RecordConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ffmpeg publishes; the node records one stream because its config says so (FLV) and another
 * because the API asks (fragmented MP4), both split every 2 s; ffprobe and ffmpeg read every file.
 */
@Timeout(90)
class RecordingTest {
    private static final int SPLIT_SECONDS = 2;
    private static RecordHookReceiver hooks;
    private static TestServer server;
    private static Path recordings;
    private final HttpClient http = Http1Clients.builder().build();

    @BeforeAll
    static void start() throws IOException, InterruptedException {
        hooks = new RecordHookReceiver();
        recordings = Files.createTempDirectory("meshlive-recordings");
        server = TestServer.start(c -> {
            c.webhooks.url = hooks.url();
            c.webhooks.secret = "k";
            c.record.dir = recordings.toString();
            c.record.splitSeconds = SPLIT_SECONDS;
            RecordConfig.App live = new RecordConfig.App();
            live.streams.add("byconfig");
            c.record.apps.put(TestServer.APP, live);
        });
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (hooks != null) {
            hooks.close();
        }
    }

    @Test
    void aConfiguredAppRecordsFlvSplitOnSchedule() throws Exception {
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl("byconfig"))) {
            server.awaitLive("byconfig", publisher);
            server.awaitVideoTime("byconfig", Duration.ofSeconds(7), publisher);
        }
        List<JsonNode> events = awaitRecords("byconfig", 3);
        List<Path> files = RecordingProbe.filesUnder(recordings.resolve("live/byconfig"));
        assertThat(files).as("one file per on_record").hasSize(events.size()).allMatch(f -> f.toString().endsWith(".flv"));
        double total = 0;
        for (Path f : files) {
            RecordingProbe p = RecordingProbe.of(f).assertPlayable();
            assertThat(p.durationSeconds()).as("%s is about one split long", f).isBetween(0.5, SPLIT_SECONDS + 1.5);
            total += p.durationSeconds();
        }
        assertThat(total).as("all files together: about the 7 s published").isBetween(5.0, 9.0);
        for (JsonNode e : events) {
            Path file = Path.of(e.path("file").asText());
            assertThat(e.path("bytes").asLong()).as("on_record bytes of %s", file).isEqualTo(Files.size(file)).isPositive();
            assertThat(e.path("format").asText()).isEqualTo("flv");
            assertThat(e.path("source").asText()).isEqualTo("config");
            assertThat(e.path("endTime").asLong()).isGreaterThan(e.path("startTime").asLong());
            assertThat(e.has("error")).isFalse();
        }
    }

    @Test
    void theApiRecordsFragmentedMp4UntilToldToStop() throws Exception {
        try (ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl("byapi"))) {
            server.awaitLive("byapi", publisher);
            assertThat(server.api("/api/v1/recordings").path("recordings")).as("not configured: not recorded").isEmpty();
            HttpResponse<String> started = send("POST", "/api/v1/streams/live/byapi/record", "{\"format\":\"mp4\"}");
            assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
            assertThat(send("POST", "/api/v1/streams/live/byapi/record", "").statusCode()).as("twice").isEqualTo(409);
            assertThat(send("POST", "/api/v1/streams/live/byapi/record", "{\"format\":\"avi\"}").statusCode()).isEqualTo(400);
            server.awaitVideoTime("byapi", server.videoTime("byapi").plusSeconds(5), publisher);
            JsonNode listed = server.api("/api/v1/recordings").path("recordings").path(0);
            assertThat(listed.path("stream").asText()).isEqualTo("byapi");
            assertThat(listed.path("format").asText()).isEqualTo("mp4");
            assertThat(listed.path("source").asText()).isEqualTo("api");
            assertThat(listed.path("file").asText()).endsWith(".mp4");
            assertThat(listed.path("bytes").asLong()).isPositive();
            assertThat(send("DELETE", "/api/v1/streams/live/byapi/record", "").statusCode()).isEqualTo(204);
            List<JsonNode> events = awaitRecords("byapi", 2);
            assertThat(server.api("/api/v1/recordings").path("recordings")).isEmpty();
            assertThat(send("DELETE", "/api/v1/streams/live/byapi/record", "").statusCode()).isEqualTo(404);

            double total = 0;
            for (JsonNode e : events) {
                Path file = Path.of(e.path("file").asText());
                assertThat(e.path("bytes").asLong()).isEqualTo(Files.size(file));
                total += RecordingProbe.of(file).assertPlayable().durationSeconds();
            }
            assertThat(total).as("recorded from POST to DELETE, about 5 s").isBetween(3.5, 6.5);
        }
        assertThat(send("POST", "/api/v1/streams/live/gone/record", "").statusCode()).isEqualTo(404);
    }

    /** Waits until the receiver has at least {@code count} on_record events for the stream, and no more arrive. */
    private static List<JsonNode> awaitRecords(String stream, int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> hooks.records(TestServer.APP, stream).size() >= count);
        await().pollDelay(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(() -> true);
        return hooks.records(TestServer.APP, stream);
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(5)).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

}
