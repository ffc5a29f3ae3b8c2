package io.meshlive.server.it;

import io.meshlive.testkit.Http1Clients;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlive.testkit.NodeProcess;
import io.meshlive.testkit.RedisServer;

import java.io.IOException;
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

/**
 * Real node processes sharing a real Redis (a redis-server on a random port), each announced by
 * their own heartbeats, started with the same cluster YAML but for their id, region and role; closes what it
 * started, and what it was handed, in reverse order. The process twin of {@link InProcessCluster}.
 */
final class ProcessCluster implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String secret;
    private final String extraYaml;
    private final RedisServer redis = RedisServer.start();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final HttpClient http = Http1Clients.builder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path dir;

    /**
     * @param secret    {@code cluster.secret} of every node
     * @param extraYaml more {@code cluster:} keys for every node, each line indented by two spaces
     */
    ProcessCluster(String secret, String extraYaml) throws IOException {
        this.secret = secret;
        this.extraYaml = extraYaml;
        this.dir = Files.createTempDirectory("meshlive-cluster");
    }

    /** Starts node {@code id} with this test's class path; it announces itself. */
    NodeProcess node(String id, String region, String role) {
        String yaml = "cluster:\n"
                + "  store: " + redis.uri() + "\n"
                + "  secret: " + secret + "\n"
                + "  nodeId: " + id + "\n"
                + "  region: " + region + "\n"
                + "  roles: [" + role + "]\n"
                + "  relayPort: 0\n"
                + extraYaml;
        NodeProcess n = NodeProcess.start(id, yaml, System.getProperty("java.class.path"), dir);
        open.add(n);
        return n;
    }

    /** Closes {@code resource} with the cluster (before its nodes). */
    <T extends AutoCloseable> T add(T resource) {
        open.add(resource);
        return resource;
    }

    /** A directory of this cluster's, for the nodes' files and the test's. */
    Path dir() {
        return dir;
    }

    /** GET {@code path} on {@code n}'s HTTP API; anything but 200 fails the test. */
    JsonNode api(NodeProcess n, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + n.httpPort() + path))
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s on %s: %s", path, n, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        redis.close();
    }
}
