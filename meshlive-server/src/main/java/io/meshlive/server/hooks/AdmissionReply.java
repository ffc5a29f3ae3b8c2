package io.meshlive.server.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlive.core.Admission.Verdict;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Reads a receiver's answer to on_publish / on_play as a verdict. A 4xx, or a 2xx with
 * {@code "allow": false}, is a denial. A receiver that cannot give a clear answer is
 * "unavailable", and failOpen decides what that means: a timeout, a connection error, a body
 * over 64 KB, garbage in a 2xx, and any 5xx (a proxy's 502/503/504 as much as the receiver's own
 * 500: a crash is not a decision; a receiver that means no answers 403) or other non-2xx,
 * non-4xx status.
 */
final class AdmissionReply {
    /** Reasons come from a remote body and end up in logs and API answers, so they are kept short. */
    private static final int MAX_REASON = 200;
    private final ObjectMapper json;
    private final boolean failOpen;

    AdmissionReply(ObjectMapper json, boolean failOpen) {
        this.json = json;
        this.failOpen = failOpen;
    }

    Verdict of(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (!is2xx(status) && status / 100 != 4) {
            return unavailable("HTTP " + status);
        }
        JsonNode body;
        try {
            body = parse(response.body());
        } catch (JsonProcessingException e) {
            // A refusal needs no readable body to count; an allow does, or a broken receiver would wave everyone through.
            return is2xx(status) ? unavailable("HTTP " + status + " with a body that is not JSON") : denied(null, status);
        }
        if (!is2xx(status)) {
            return denied(body, status);
        }
        JsonNode allow = body.path("allow");
        if (allow.isMissingNode() || allow.isNull()) {
            return Verdict.ALLOW;
        }
        if (!allow.isBoolean()) {
            return unavailable("\"allow\" is not true or false: " + clip(allow.toString()));
        }
        return allow.booleanValue() ? Verdict.ALLOW : denied(body, status);
    }

    Verdict unavailable(String why) {
        return failOpen ? Verdict.ALLOW : Verdict.deny("webhook unavailable: " + clip(why));
    }

    private JsonNode parse(byte[] body) throws JsonProcessingException {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.isBlank() ? json.missingNode() : json.readTree(text);
    }

    private static Verdict denied(JsonNode body, int status) {
        JsonNode reason = body == null ? null : body.get("reason");
        String why = reason != null && reason.isTextual() && !reason.textValue().isBlank() ? reason.textValue() : "HTTP " + status;
        return Verdict.deny("webhook denied: " + clip(why));
    }

    private static boolean is2xx(int status) {
        return status / 100 == 2;
    }

    private static String clip(String text) {
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON) + "...";
    }
}
