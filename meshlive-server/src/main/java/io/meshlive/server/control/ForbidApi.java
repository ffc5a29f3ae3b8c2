package io.meshlive.server.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlive.core.StreamKey;
import io.meshlive.server.control.ControlApi.BadBody;
import io.meshlive.server.control.ControlApi.Reply;
import io.meshlive.server.control.ControlApi.Request;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code POST} / {@code DELETE /api/v1/streams/{app}/{stream}/forbid}: forbids a stream on every
 * node, or lifts the forbid. (The list is the {@code forbidden} listing.)
 */
public final class ForbidApi implements ControlApi.StreamRoutes {
    private final ForbidList forbids;

    public ForbidApi(ForbidList forbids) {
        this.forbids = forbids;
    }

    @Override
    public Reply handle(Request req, StreamKey key, String[] rest) {
        if (rest.length != 0) {
            return Reply.error(HttpResponseStatus.NOT_FOUND, "no such resource under /api/v1/streams/" + key);
        }
        HttpMethod m = req.method();
        if (m.equals(HttpMethod.POST)) {
            return forbid(req, key);
        }
        if (m.equals(HttpMethod.DELETE)) {
            return forbids.lift(key) ? Reply.noContent()
                    : Reply.error(HttpResponseStatus.NOT_FOUND, "stream " + key + " is not forbidden");
        }
        return Reply.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST to forbid, DELETE to lift");
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
        return Reply.ok(forbids.forbid(key, reason, expiresAtMillis));
    }
}
