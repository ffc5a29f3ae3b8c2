package io.meshlive.server.control;

import io.meshlive.core.Hub;
import io.meshlive.core.Session;
import io.meshlive.server.control.ControlApi.Reply;
import io.meshlive.server.control.ControlApi.Request;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/sessions}: this node's publishers and viewers; {@code DELETE /api/v1/sessions/{id}} kicks one. */
public final class SessionsApi implements ControlApi.Routes {
    private final Hub hub;

    public SessionsApi(Hub hub) {
        this.hub = hub;
    }

    @Override
    public Reply handle(Request req, String[] parts, SocketAddress remote) {
        return switch (parts.length) {
            case 1 -> Reply.only(req.method(), HttpMethod.GET, true, () -> Reply.ok(Map.of("sessions", sessionList())));
            case 2 -> kick(req.method(), parts[1]);
            default -> Reply.error(HttpResponseStatus.NOT_FOUND, "expected /api/v1/sessions/{id}");
        };
    }

    private Reply kick(HttpMethod m, String idText) {
        long id;
        try {
            id = Long.parseLong(idText);
        } catch (NumberFormatException e) {
            return Reply.error(HttpResponseStatus.BAD_REQUEST, "session id must be a number: " + idText);
        }
        Session s = hub.sessions().get(id);
        if (s == null) {
            return Reply.error(HttpResponseStatus.NOT_FOUND, "no session " + id);
        }
        return Reply.only(m, HttpMethod.DELETE, true, () -> {
            s.close("kicked through the API");
            return Reply.noContent();
        });
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
