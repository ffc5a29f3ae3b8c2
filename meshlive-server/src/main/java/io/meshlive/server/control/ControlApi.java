package io.meshlive.server.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlive.core.Hub;
import io.meshlive.core.LatencySummary;
import io.meshlive.core.Session;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.StreamStats;
import io.meshlive.server.record.RecordingApi;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The HTTP API under {@code /api/v1} (documented in docs/api.md): server and health, streams,
 * sessions and kicking them, and forbidding streams. JSON in and out; every error is a 4xx with
 * {@code {"error": "..."}} naming what to fix.
 */
public final class ControlApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/api/v1/";

    /** What the API needs of a request, read on the I/O thread so no buffer crosses threads. */
    public record Request(HttpMethod method, String authorization, String body, Map<String, String> query, String forwardedFor) {
        public Request(HttpMethod method, String authorization, String body) {
            this(method, authorization, body, Map.of(), null);
        }

        /**
         * The body as a JSON object, or null when the body is empty (every body is optional).
         *
         * @param example what a good body looks like, for the error
         * @throws BadBody with the message a 400 carries
         */
        public JsonNode jsonObject(String example) throws BadBody {
            if (body.isBlank()) {
                return null;
            }
            JsonNode node;
            try {
                node = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new BadBody("malformed JSON body: " + e.getOriginalMessage());
            }
            if (node == null || !node.isObject()) {
                throw new BadBody("body must be a JSON object such as " + example);
            }
            return node;
        }
    }

    /** A request body that is not what the call takes; its message is the 400's reason. */
    public static final class BadBody extends Exception {
        public BadBody(String message) {
            super(message, null, false, false);
        }
    }

    /** A response: status and a JSON-serialisable body (null for 204). */
    public record Reply(HttpResponseStatus status, Object body) {
        public static Reply error(HttpResponseStatus status, String message) {
            return new Reply(status, Map.of("error", message));
        }
    }

    private final Hub hub;
    private final ForbidList forbids;
    private final RecordingApi recordings;
    private final byte[] token;
    private final long startedMillis = System.currentTimeMillis();
    private final Map<String, java.util.function.Supplier<List<?>>> listings = new java.util.concurrent.ConcurrentHashMap<>();

    public ControlApi(Hub hub, ForbidList forbids, RecordingApi recordings, String token) {
        this.hub = hub;
        this.forbids = forbids;
        this.recordings = recordings;
        this.token = token == null || token.isEmpty() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    /** A feature module's API: answers every request under {@code /api/v1/{name}}. */
    public interface Routes {
        /** @param parts the path under {@code /api/v1/}, split on '/': {@code parts[0]} is the module's name */
        Reply handle(Request req, String[] parts, SocketAddress remote);
    }

    /** A feature module's part of a stream: answers {@code /api/v1/streams/{app}/{stream}/{name}[/...]}. */
    public interface StreamRoutes {
        /** @param rest the path after the name, split on '/' (empty for the name itself) */
        Reply handle(Request req, StreamKey stream, String[] rest);
    }

    private final Map<String, Routes> routes = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, StreamRoutes> streamRoutes = new java.util.concurrent.ConcurrentHashMap<>();

    /** Serves every request under {@code /api/v1/{name}} with {@code handler} (after the token check). */
    public void addRoutes(String name, Routes handler) {
        if (routes.putIfAbsent(name, handler) != null) {
            throw new IllegalStateException("API routes /api/v1/" + name + " registered twice");
        }
    }

    /** Serves {@code /api/v1/streams/{app}/{stream}/{name}[/...]} with {@code handler}. */
    public void addStreamRoutes(String name, StreamRoutes handler) {
        if (streamRoutes.putIfAbsent(name, handler) != null) {
            throw new IllegalStateException("API routes /api/v1/streams/{app}/{stream}/" + name + " registered twice");
        }
    }

    /** Serves {@code GET /api/v1/{name}} as {@code {"name": [...]}}: how a feature module shows its state. */
    public void addListing(String name, java.util.function.Supplier<List<?>> listing) {
        listings.put(name, listing);
    }

    public boolean hasToken() {
        return token != null;
    }

    public static boolean handles(String path) {
        return path.startsWith(PREFIX);
    }

    /** Answers one API request; on the API thread (HttpRouter.answerOffLoop), never on an I/O loop. */
    public Reply handle(Request req, String path, SocketAddress remote) {
        Reply refused = refusal(req, remote);
        if (refused != null) {
            return refused;
        }
        String[] parts = path.substring(PREFIX.length()).split("/", -1);
        HttpMethod m = req.method();
        try {
            switch (parts[0]) {
                case "server":
                    return only(m, HttpMethod.GET, parts.length == 1, () -> new Reply(HttpResponseStatus.OK, server()));
                case "health":
                    return only(m, HttpMethod.GET, parts.length == 1, () -> new Reply(HttpResponseStatus.OK, Map.of("status", "ok")));
                case "forbidden":
                    return only(m, HttpMethod.GET, parts.length == 1, () -> new Reply(HttpResponseStatus.OK, Map.of("forbidden", forbids.list())));
                case "sessions":
                    return sessions(m, parts);
                case "recordings":
                    return parts.length == 1 ? recordings.list(m) : Reply.error(HttpResponseStatus.NOT_FOUND, "no such resource: " + path);
                case "streams":
                    return streams(req, m, parts);
                default:
                    Routes module = routes.get(parts[0]);
                    if (module != null) {
                        return module.handle(req, parts, remote);
                    }
                    java.util.function.Supplier<List<?>> listing = listings.get(parts[0]);
                    if (listing != null) {
                        return only(m, HttpMethod.GET, parts.length == 1, () -> new Reply(HttpResponseStatus.OK, Map.of(parts[0], listing.get())));
                    }
                    return Reply.error(HttpResponseStatus.NOT_FOUND, "no such resource: " + path);
            }
        } catch (IllegalArgumentException e) {
            return Reply.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        } catch (io.meshlive.cluster.store.StoreUnavailableException e) {
            // A forbid or lift must reach every node or none: nothing changed; nodes keep enforcing their copies.
            return Reply.error(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage() + "; nothing changed, retry when the store is back");
        }
    }

    private interface Action {
        Reply run();
    }

    private static Reply only(HttpMethod m, HttpMethod allowed, boolean shapeOk, Action action) {
        if (!shapeOk) {
            return Reply.error(HttpResponseStatus.NOT_FOUND, "no such resource");
        }
        return m.equals(allowed) ? action.run() : Reply.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use " + allowed);
    }

    /** Null when the request may use the API, else the 401 or 403 to answer; for routes under /api/v1 served elsewhere. */
    public Reply refusal(Request req, SocketAddress remote) {
        if (authorised(req, remote)) {
            return null;
        }
        return token == null
                ? Reply.error(HttpResponseStatus.FORBIDDEN, "the API has no token configured (api.token) and answers loopback clients only")
                : Reply.error(HttpResponseStatus.UNAUTHORIZED, "missing or wrong bearer token (Authorization: Bearer <api.token>)");
    }

    private boolean authorised(Request req, SocketAddress remote) {
        if (token == null) {
            InetAddress a = remote instanceof InetSocketAddress i ? i.getAddress() : null;
            return a != null && a.isLoopbackAddress();
        }
        String given = req.authorization();
        return given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, Object> server() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "meshlive");
        m.put("version", "0.1.0");
        m.put("uptimeMillis", System.currentTimeMillis() - startedMillis);
        m.put("ioThreads", hub.workers().size());
        m.put("streams", hub.streams().all().size());
        m.put("sessions", hub.sessions().size());
        return m;
    }

    private Reply sessions(HttpMethod m, String[] parts) {
        if (parts.length == 1) {
            return only(m, HttpMethod.GET, true, () -> new Reply(HttpResponseStatus.OK, Map.of("sessions", sessionList())));
        }
        if (parts.length != 2) {
            return Reply.error(HttpResponseStatus.NOT_FOUND, "expected /api/v1/sessions/{id}");
        }
        long id;
        try {
            id = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return Reply.error(HttpResponseStatus.BAD_REQUEST, "session id must be a number: " + parts[1]);
        }
        Session s = hub.sessions().get(id);
        if (s == null) {
            return Reply.error(HttpResponseStatus.NOT_FOUND, "no session " + id);
        }
        return only(m, HttpMethod.DELETE, true, () -> {
            s.close("kicked through the API");
            return new Reply(HttpResponseStatus.NO_CONTENT, null);
        });
    }

    private Reply streams(Request req, HttpMethod m, String[] parts) {
        if (parts.length == 1) {
            return only(m, HttpMethod.GET, true, () -> new Reply(HttpResponseStatus.OK, Map.of("streams", streamList())));
        }
        if (parts.length < 3) {
            return Reply.error(HttpResponseStatus.NOT_FOUND, "expected /api/v1/streams/{app}/{stream}");
        }
        StreamKey key = new StreamKey(parts[1], parts[2]); // refuses unsafe names with a 400
        if (parts.length == 3) {
            Stream s = hub.streams().get(key);
            return only(m, HttpMethod.GET, true, () -> s == null
                    ? Reply.error(HttpResponseStatus.NOT_FOUND, "stream " + key + " is not live")
                    : new Reply(HttpResponseStatus.OK, describe(s, viewersByProtocol().getOrDefault(key, Map.of()))));
        }
        if (parts.length == 4 && parts[3].equals("record")) {
            return recordings.record(req, key);
        }
        if (parts.length == 4 && parts[3].equals("forbid")) {
            if (m.equals(HttpMethod.POST)) {
                return forbid(req, key);
            }
            if (m.equals(HttpMethod.DELETE)) {
                return forbids.lift(key) ? new Reply(HttpResponseStatus.NO_CONTENT, null)
                        : Reply.error(HttpResponseStatus.NOT_FOUND, "stream " + key + " is not forbidden");
            }
            return Reply.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST to forbid, DELETE to lift");
        }
        StreamRoutes module = streamRoutes.get(parts[3]);
        if (module != null) {
            return module.handle(req, key, java.util.Arrays.copyOfRange(parts, 4, parts.length));
        }
        return Reply.error(HttpResponseStatus.NOT_FOUND, "no such resource under /api/v1/streams/" + key);
    }

    /** Body: {@code {"reason": "...", "expiresAt": <unix seconds>}} or {@code "durationSeconds"}; all optional. */
    private Reply forbid(Request req, StreamKey key) {
        String reason = "forbidden by the operator";
        long expiresAtMillis = 0;
        JsonNode body;
        try {
            body = req.jsonObject("{\"reason\":\"...\"}");
        } catch (BadBody e) {
            return Reply.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        if (body != null) {
            if (body.hasNonNull("reason")) {
                reason = body.get("reason").asText();
            }
            if (body.hasNonNull("expiresAt")) {
                expiresAtMillis = body.get("expiresAt").asLong() * 1000;
            } else if (body.hasNonNull("durationSeconds")) {
                expiresAtMillis = System.currentTimeMillis() + body.get("durationSeconds").asLong() * 1000;
            }
            if (expiresAtMillis < 0) {
                return Reply.error(HttpResponseStatus.BAD_REQUEST, "expiresAt/durationSeconds must be positive");
            }
        }
        return new Reply(HttpResponseStatus.OK, forbids.forbid(key, reason, expiresAtMillis));
    }

    private Map<StreamKey, Map<String, Integer>> viewersByProtocol() {
        Map<StreamKey, Map<String, Integer>> out = new HashMap<>();
        for (Session s : hub.sessions().all()) {
            if (s.role() == Session.Role.VIEWER && s.stream() != null) {
                out.computeIfAbsent(s.stream(), k -> new TreeMap<>()).merge(s.protocol(), 1, Integer::sum);
            }
        }
        return out;
    }

    private List<Object> streamList() {
        Map<StreamKey, Map<String, Integer>> viewers = viewersByProtocol();
        List<Object> list = new ArrayList<>();
        for (Stream s : hub.streams().all()) {
            list.add(describe(s, viewers.getOrDefault(s.key(), Map.of())));
        }
        return list;
    }

    private static Map<String, Object> describe(Stream s, Map<String, Integer> viewers) {
        StreamStats st = s.stats();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("app", s.key().app());
        m.put("stream", s.key().name());
        m.put("publishing", s.publisher() != null);
        m.put("uptimeMillis", st.publishedSinceMillis() == 0 ? 0 : System.currentTimeMillis() - st.publishedSinceMillis());
        m.put("videoCodec", st.videoCodec() == null ? null : st.videoCodec().displayName());
        m.put("width", st.width());
        m.put("height", st.height());
        m.put("frameRate", Math.round(st.frameRate() * 10) / 10.0);
        m.put("audioCodec", st.audioCodec() == null ? null : st.audioCodec().displayName());
        m.put("sampleRate", st.sampleRate());
        m.put("channels", st.channels());
        m.put("bitrateIn", st.bitrateIn());
        m.put("bitrateOut", st.bitrateOut());
        m.put("bytesIn", st.bytesIn());
        m.put("bytesOut", st.bytesOut());
        // People watching: viewer sessions on every protocol (an HLS viewer is its session token).
        // Subscribers also count the node's own readers: HLS packagers, transcoders, recorders.
        m.put("viewers", viewers.values().stream().mapToInt(Integer::intValue).sum());
        m.put("viewersByProtocol", viewers);
        m.put("subscribers", s.subscriberCount());
        m.put("skippedFrames", st.skippedFrames());
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("recent", LatencySummary.of(st.recentLatency()));
        latency.put("total", st.totalLatency());
        m.put("latencyMicros", latency);
        m.put("behindOriginMicros", st.behindOrigin());
        return m;
    }

    private List<Object> sessionList() {
        List<Object> list = new ArrayList<>();
        for (Session s : hub.sessions().all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            m.put("protocol", s.protocol());
            m.put("role", s.role().name().toLowerCase());
            m.put("stream", String.valueOf(s.stream()));
            m.put("remoteAddress", s.remoteAddress());
            m.put("bytesIn", s.bytesIn());
            m.put("bytesOut", s.bytesOut());
            m.put("skippedFrames", s.skippedFrames());
            m.put("durationMillis", System.currentTimeMillis() - s.startedMillis());
            if (!s.details().isEmpty()) {
                m.put("details", s.details());
            }
            list.add(m);
        }
        return list;
    }
}
