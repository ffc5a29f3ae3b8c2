package io.meshlive.server.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlive.core.AccessRequest;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns an event about a stream into the JSON body every webhook carries. */
final class EventEncoder {
    private final ObjectMapper json;
    private final String node;

    EventEncoder(ObjectMapper json, String node) {
        this.json = json;
        this.node = node;
    }

    /** {@code extra} adds fields (bytes, durationMillis...) but cannot replace the common ones receivers rely on. */
    byte[] encode(String event, AccessRequest request, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event);
        body.put("app", request.stream().app());
        body.put("stream", request.stream().name());
        body.put("protocol", request.protocol());
        body.put("clientIp", request.clientIp());
        body.put("query", request.query() == null ? Map.of() : request.query());
        body.put("time", System.currentTimeMillis());
        body.put("node", node);
        if (extra != null) {
            extra.forEach(body::putIfAbsent);
        }
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode webhook " + event, e);
        }
    }
}
