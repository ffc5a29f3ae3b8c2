package io.meshlive.server.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlive.core.Hub;
import io.meshlive.core.StreamKey;
import io.meshlive.cluster.store.StoreUnavailableException;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The HTTP API under {@code /api/v1} (documented in docs/api.md): the token check and the routing.
 * It answers {@code server} and {@code health} itself; every other resource is a module's, registered
 * with {@link #addRoutes} ({@code /api/v1/{name}...}) or {@link #addStreamRoutes}
 * ({@code /api/v1/streams/{app}/{stream}/{name}...}). JSON in and out; every error is a 4xx with
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

        public static Reply ok(Object body) {
            return new Reply(HttpResponseStatus.OK, body);
        }

        public static Reply noContent() {
            return new Reply(HttpResponseStatus.NO_CONTENT, null);
        }

        /** {@code answer} when the path has the right shape and the method is {@code allowed}, else the 404 or 405. */
        public static Reply only(HttpMethod method, HttpMethod allowed, boolean shapeOk, Supplier<Reply> answer) {
            if (!shapeOk) {
                return error(HttpResponseStatus.NOT_FOUND, "no such resource");
            }
            return method.equals(allowed) ? answer.get() : error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use " + allowed);
        }
    }

    private final Hub hub;
    private final byte[] token;
    private final long startedMillis = System.currentTimeMillis();
    private final Map<String, Routes> routes = new ConcurrentHashMap<>();
    private final Map<String, StreamRoutes> streamRoutes = new ConcurrentHashMap<>();

    public ControlApi(Hub hub, String token) {
        this.hub = hub;
        this.token = token == null || token.isEmpty() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        addListing("server", this::server);
        addListing("health", () -> Map.of("status", "ok"));
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

    /** Serves {@code GET /api/v1/{name}} with what {@code state} gives: how a feature module shows its state. */
    public void addListing(String name, Supplier<?> state) {
        addRoutes(name, (req, parts, remote) -> Reply.only(req.method(), HttpMethod.GET, parts.length == 1, () -> Reply.ok(state.get())));
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
        try {
            if (parts[0].equals("streams") && parts.length > 3) {
                StreamKey key = new StreamKey(parts[1], parts[2]); // refuses unsafe names with a 400
                StreamRoutes module = streamRoutes.get(parts[3]);
                return module != null ? module.handle(req, key, Arrays.copyOfRange(parts, 4, parts.length))
                        : Reply.error(HttpResponseStatus.NOT_FOUND, "no such resource under /api/v1/streams/" + key);
            }
            Routes module = routes.get(parts[0]);
            return module != null ? module.handle(req, parts, remote) : Reply.error(HttpResponseStatus.NOT_FOUND, "no such resource: " + path);
        } catch (IllegalArgumentException e) {
            return Reply.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        } catch (StoreUnavailableException e) {
            // A forbid or lift must reach every node or none: nothing changed; nodes keep enforcing their copies.
            return Reply.error(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage() + "; nothing changed, retry when the store is back");
        }
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
}
