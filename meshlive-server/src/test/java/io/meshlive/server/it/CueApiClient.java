package io.meshlive.server.it;

import io.meshlive.testkit.Http1Clients;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Posts, lists and clears cues through the HTTP API, as an operator's tool would. */
final class CueApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = Http1Clients.builder().build();
    private final String base;

    /** The answer: status and body (JSON when there is one). */
    record Answer(int status, JsonNode body, String text) {
    }

    CueApiClient(TestServer server, String stream) {
        this.base = "http://127.0.0.1:" + server.httpPort() + "/api/v1/streams/" + TestServer.APP + "/" + stream + "/cues";
    }

    Answer post(String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer get() throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base)).GET());
    }

    Answer delete(String which) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + "/" + which)).DELETE());
    }

    private Answer send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(15)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.body().isEmpty() ? null : JSON.readTree(r.body());
        return new Answer(r.statusCode(), body, r.body());
    }
}
