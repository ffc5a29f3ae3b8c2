package io.meshlive.server.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlive.cluster.staticrelay.RelaySpec;
import io.meshlive.cluster.staticrelay.RelayStatus;
import io.meshlive.cluster.staticrelay.StaticRelays;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.SocketAddress;
import java.util.Map;

/**
 * {@code /api/v1/relays}: the node's static relays. GET lists them with their state; POST
 * {@code {"kind": "pull"|"push", "url": ..., "app": ..., "stream": ...}} starts one (201 with its
 * status); GET or DELETE {@code /relays/{id}} shows or stops one.
 */
public final class RelaysApi implements ControlApi.Routes {
    private static final String EXAMPLE = "{\"kind\":\"pull\",\"url\":\"rtmp://host/live/name\",\"app\":\"live\",\"stream\":\"name\"}";

    private final StaticRelays relays;

    public RelaysApi(StaticRelays relays) {
        this.relays = relays;
    }

    @Override
    public ControlApi.Reply handle(ControlApi.Request req, String[] parts, SocketAddress remote) {
        HttpMethod m = req.method();
        if (parts.length == 1) {
            if (m.equals(HttpMethod.GET)) {
                return new ControlApi.Reply(HttpResponseStatus.OK, Map.of("relays", relays.list()));
            }
            if (m.equals(HttpMethod.POST)) {
                return add(req);
            }
            return ControlApi.Reply.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET to list relays, POST to add one");
        }
        if (parts.length != 2) {
            return ControlApi.Reply.error(HttpResponseStatus.NOT_FOUND, "expected /api/v1/relays or /api/v1/relays/{id}");
        }
        String id = parts[1];
        if (m.equals(HttpMethod.GET)) {
            RelayStatus status = relays.get(id);
            return status != null ? new ControlApi.Reply(HttpResponseStatus.OK, status) : notFound(id);
        }
        if (m.equals(HttpMethod.DELETE)) {
            return relays.remove(id) ? new ControlApi.Reply(HttpResponseStatus.NO_CONTENT, null) : notFound(id);
        }
        return ControlApi.Reply.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET to show a relay, DELETE to stop it");
    }

    private ControlApi.Reply add(ControlApi.Request req) {
        RelaySpec spec;
        try {
            JsonNode body = req.jsonObject(EXAMPLE);
            if (body == null) {
                return ControlApi.Reply.error(HttpResponseStatus.BAD_REQUEST, "body required, such as " + EXAMPLE);
            }
            String kind = text(body, "kind");
            if (!kind.equals("pull") && !kind.equals("push")) {
                return ControlApi.Reply.error(HttpResponseStatus.BAD_REQUEST, "kind: 'pull' or 'push'");
            }
            spec = RelaySpec.of(RelaySpec.Kind.valueOf(kind.toUpperCase()), text(body, "url"), text(body, "app"), text(body, "stream"));
        } catch (ControlApi.BadBody | IllegalArgumentException e) {
            return ControlApi.Reply.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        try {
            return new ControlApi.Reply(HttpResponseStatus.CREATED, relays.add(spec));
        } catch (IllegalStateException e) {
            return ControlApi.Reply.error(HttpResponseStatus.TOO_MANY_REQUESTS, e.getMessage());
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    private static ControlApi.Reply notFound(String id) {
        String shown = id.length() <= 40 ? id : id.substring(0, 40) + "...";
        return ControlApi.Reply.error(HttpResponseStatus.NOT_FOUND, "no relay '" + shown + "'");
    }
}
