package io.meshlive.bench.lab;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what lab nodes say about one stream through their HTTP API: each node's relay parent and
 * how far behind the host's ingest the frames reached it ({@code GET /api/v1/cluster/relays}, the
 * origin time every frame carries), and whether the origin has its publisher
 * ({@code GET /api/v1/streams}). A node that does not answer (killed, busy) is left out.
 */
public final class NodeWatch {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http = Http1Clients.builder().connectTimeout(TIMEOUT).build();
    private final String stream;

    /** @param stream {@code app/name} */
    public NodeWatch(String stream) {
        this.stream = stream;
    }

    /**
     * One node's copy of the stream now.
     *
     * @param parent      the node it pulls from
     * @param behindP50Us behind the host's ingest over the node's last stats second, µs (p50)
     * @param behindP99Us the same, p99
     * @param frames      frames in that second (0: nothing arrived)
     */
    public record Relay(String node, String parent, long behindP50Us, long behindP99Us, long frames) {
    }

    /** Every answering node's relay of the stream, by node id (nodes that do not relay it are absent). */
    public Map<String, Relay> relays(List<NodePlan> nodes) {
        Map<String, Relay> out = new LinkedHashMap<>();
        for (NodePlan p : nodes) {
            JsonNode body = get(p, "/api/v1/cluster/relays");
            if (body == null) {
                continue;
            }
            for (JsonNode r : body.path("relays")) {
                if (r.path("stream").asText().equals(stream)) {
                    JsonNode b = r.path("behindOriginMicros");
                    out.put(p.node().id(), new Relay(p.node().id(), r.path("parent").asText(null), b.path("p50").asLong(),
                            b.path("p99").asLong(), b.path("count").asLong()));
                }
            }
        }
        return out;
    }

    /** Whether the node has a publisher of the stream (for the origin: the host is live). */
    public boolean publishing(NodePlan node) {
        JsonNode body = get(node, "/api/v1/streams");
        if (body == null) {
            return false;
        }
        for (JsonNode s : body.path("streams")) {
            if ((s.path("app").asText() + "/" + s.path("stream").asText()).equals(stream) && s.path("publishing").asBoolean()) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code node} lists every one of {@code nodes} as a live member of the cluster (all joined the store). */
    public boolean allJoined(NodePlan node, List<NodePlan> nodes) {
        JsonNode body = get(node, "/api/v1/cluster/nodes");
        return body != null && body.path("nodes").size() == nodes.size();
    }

    /** The node the store names as the stream's origin, or null (no claim yet). */
    public String origin(NodePlan node) {
        JsonNode body = get(node, "/api/v1/cluster/streams");
        if (body != null) {
            for (JsonNode s : body.path("streams")) {
                if (s.path("stream").asText().equals(stream) && s.path("origin").has("node")) {
                    return s.path("origin").path("node").asText();
                }
            }
        }
        return null;
    }

    /** The path from the origin to {@code node} by the relays' parents, e.g. {@code a>c>f}; "?" where it breaks. */
    public static String path(Map<String, Relay> relays, String origin, String node) {
        List<String> chain = new ArrayList<>();
        String at = node;
        while (at != null && !at.equals(origin) && chain.size() <= relays.size()) {
            chain.add(0, at);
            Relay r = relays.get(at);
            at = r == null ? null : r.parent();
        }
        chain.add(0, at == null ? "?" : at);
        return String.join(">", chain);
    }

    private JsonNode get(NodePlan node, String path) {
        URI uri = URI.create("http://" + node.host() + ":" + node.httpPort() + path);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null; // killed or busy: left out of this round
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
