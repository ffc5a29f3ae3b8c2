package io.meshlive.server.cue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlive.core.Hub;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.cue.CueRequest;
import io.meshlive.core.cue.CueTime;
import io.meshlive.core.cue.StreamCues;
import io.meshlive.media.cue.Cue;
import io.meshlive.server.control.ControlApi.BadBody;
import io.meshlive.server.control.ControlApi.Reply;
import io.meshlive.server.control.ControlApi.Request;
import io.meshlive.server.control.ControlApi.StreamRoutes;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/streams/{app}/{stream}/cues}: POST a cue ({@code {kind, payload, at?, durationMs?,
 * sticky?}}), GET the recent and sticky ones, DELETE {@code /cues/sticky} (or {@code /cues/{id}} of
 * the sticky one) to clear it. A POST answers 201 with the frame the cue landed on once the
 * publisher sent it, or 202 with the cue's id when its time is still ahead.
 */
public final class CueApi implements StreamRoutes {
    private static final Logger log = LoggerFactory.getLogger(CueApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXAMPLE = "{\"kind\": \"product\", \"payload\": {\"sku\": \"A1\"}, \"at\": {\"offsetMs\": -500}, \"sticky\": true}";
    private static final Pattern KIND = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** How long a POST waits for its frame: a few frames at any sane rate; the API thread is shared. */
    private static final long LANDING_WAIT_MILLIS = 500;
    /** The furthest ahead a cue may be placed, so waiting cues stay few. */
    private static final long MAX_AHEAD_MILLIS = 60_000;

    private final Hub hub;

    public CueApi(Hub hub) {
        this.hub = hub;
    }

    @Override
    public Reply handle(Request req, StreamKey key, String[] rest) {
        Stream stream = hub.streams().get(key);
        if (stream == null || stream.publisher() == null) {
            return Reply.error(HttpResponseStatus.NOT_FOUND, "stream " + key + " is not live");
        }
        HttpMethod m = req.method();
        if (rest.length == 0) {
            if (m.equals(HttpMethod.POST)) {
                return post(req, stream);
            }
            if (m.equals(HttpMethod.GET)) {
                return new Reply(HttpResponseStatus.OK, list(stream.cues()));
            }
            return Reply.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST to add a cue, GET to list them");
        }
        if (rest.length == 1 && m.equals(HttpMethod.DELETE)) {
            return clear(stream, rest[0]);
        }
        return Reply.error(HttpResponseStatus.NOT_FOUND, "expected /cues, or DELETE /cues/sticky or /cues/{id}");
    }

    private Reply post(Request req, Stream stream) {
        CueRequest request;
        try {
            request = parse(req.jsonObject(EXAMPLE));
        } catch (BadBody e) {
            return Reply.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        } catch (PayloadTooLarge e) {
            return Reply.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, e.getMessage());
        }
        return send(stream, request);
    }

    private Reply send(Stream stream, CueRequest request) {
        CompletableFuture<Cue> landed;
        try {
            landed = stream.cues().inject(request);
        } catch (StreamCues.Refused e) {
            return Reply.error(HttpResponseStatus.TOO_MANY_REQUESTS, e.getMessage());
        }
        try {
            Cue cue = landed.get(LANDING_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            log.info("stream {}: cue {} ({}) on the frame at pts {} ms{}", stream.key(), cue.id(), cue.kind(),
                    cue.ptsMicros() / 1000, cue.late() ? ", late" : "");
            return new Reply(HttpResponseStatus.CREATED, describe(cue));
        } catch (TimeoutException e) {
            return new Reply(HttpResponseStatus.ACCEPTED, Map.of("status", "waiting for its frame",
                    "hint", "GET this resource lists the cue once it went out"));
        } catch (ExecutionException e) {
            return Reply.error(HttpResponseStatus.TOO_MANY_REQUESTS, e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "shutting down");
        }
    }

    private Reply clear(Stream stream, String which) {
        Cue sticky = stream.cues().sticky();
        if (sticky == null || !which.equals("sticky") && !which.equals(sticky.id())) {
            return Reply.error(HttpResponseStatus.NOT_FOUND, which.equals("sticky")
                    ? "stream " + stream.key() + " has no sticky cue" : "cue " + which + " is not the sticky cue of " + stream.key());
        }
        String payload = "{\"clears\":" + JSON.valueToTree(sticky.id()) + "}";
        Reply sent = send(stream, new CueRequest(Cue.CLEAR_KIND, payload, CueTime.NEXT, 0, true));
        return sent.status().equals(HttpResponseStatus.CREATED) ? new Reply(HttpResponseStatus.OK, sent.body()) : sent;
    }

    /** A payload over {@link Cue#MAX_PAYLOAD_BYTES}. */
    static final class PayloadTooLarge extends Exception {
        PayloadTooLarge(String message) {
            super(message, null, false, false);
        }
    }

    static CueRequest parse(JsonNode body) throws BadBody, PayloadTooLarge {
        if (body == null) {
            throw new BadBody("a cue needs a body such as " + EXAMPLE);
        }
        JsonNode kind = body.get("kind");
        if (kind == null || !kind.isTextual() || !KIND.matcher(kind.asText()).matches()) {
            throw new BadBody("kind must be a name of 1 to 64 letters, digits, '_', '.' or '-', e.g. \"product\"");
        }
        if (kind.asText().equals(Cue.CLEAR_KIND)) {
            throw new BadBody("kind \"clear\" is reserved: DELETE /cues/sticky clears the sticky cue");
        }
        JsonNode payload = body.get("payload");
        String payloadText;
        try {
            payloadText = payload == null || payload.isNull() ? "{}" : JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new BadBody("payload cannot be written as JSON: " + e.getOriginalMessage());
        }
        int bytes = payloadText.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Cue.MAX_PAYLOAD_BYTES) {
            throw new PayloadTooLarge("payload is " + bytes + " bytes of JSON; at most " + Cue.MAX_PAYLOAD_BYTES);
        }
        long duration = 0;
        JsonNode d = body.get("durationMs");
        if (d != null) {
            if (!d.canConvertToLong() || d.asLong() < 0 || d.asLong() > 86_400_000L) {
                throw new BadBody("durationMs must be a whole number of milliseconds from 0 to 86400000");
            }
            duration = d.asLong();
        }
        JsonNode sticky = body.get("sticky");
        if (sticky != null && !sticky.isBoolean()) {
            throw new BadBody("sticky must be true or false");
        }
        return new CueRequest(kind.asText(), payloadText, at(body.get("at")), duration, sticky != null && sticky.asBoolean());
    }

    /** {@code at}: absent (the next video frame), {@code {"offsetMs": n}}, {@code {"streamTimeMs": t}} or {@code {"wallClock": ISO-8601 | epoch ms}}. */
    private static CueTime at(JsonNode at) throws BadBody {
        if (at == null || at.isNull()) {
            return CueTime.NEXT;
        }
        String forms = "at must be {\"offsetMs\": n} (negative allowed), {\"streamTimeMs\": t} or {\"wallClock\": \"2026-01-01T12:00:00.000Z\" | epoch ms}";
        if (!at.isObject() || at.size() != 1) {
            throw new BadBody(forms);
        }
        long now = System.currentTimeMillis();
        if (at.has("offsetMs") && at.get("offsetMs").canConvertToLong()) {
            long offset = at.get("offsetMs").asLong();
            if (offset > MAX_AHEAD_MILLIS || offset < -MAX_AHEAD_MILLIS) {
                throw new BadBody("offsetMs must be within ±" + MAX_AHEAD_MILLIS);
            }
            return new CueTime.WallClock(now + offset);
        }
        if (at.has("streamTimeMs") && at.get("streamTimeMs").canConvertToLong()) {
            return new CueTime.StreamTime(at.get("streamTimeMs").asLong() * 1000);
        }
        JsonNode wall = at.get("wallClock");
        if (wall != null) {
            long millis;
            if (wall.canConvertToLong()) {
                millis = wall.asLong();
            } else if (wall.isTextual()) {
                try {
                    millis = Instant.parse(wall.asText()).toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw new BadBody("wallClock is not an ISO-8601 instant: " + truncate(wall.asText()));
                }
            } else {
                throw new BadBody(forms);
            }
            if (millis > now + MAX_AHEAD_MILLIS) {
                throw new BadBody("wallClock is more than " + MAX_AHEAD_MILLIS / 1000 + " s ahead");
            }
            return new CueTime.WallClock(millis);
        }
        throw new BadBody(forms);
    }

    private static String truncate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }

    private static Map<String, Object> list(StreamCues cues) {
        Map<String, Object> out = new LinkedHashMap<>();
        Cue sticky = cues.sticky();
        out.put("sticky", sticky == null ? null : describe(sticky));
        List<Object> recent = new ArrayList<>();
        for (Cue c : cues.recent()) {
            recent.add(describe(c));
        }
        out.put("recent", recent);
        out.put("delivered", cues.delivered());
        out.put("refused", cues.refused());
        out.put("maxPerSecond", cues.maxPerSecond());
        return out;
    }

    /** A cue as the API shows it: where it landed (the frame's pts and ingest time) and what it carries. */
    static Map<String, Object> describe(Cue cue) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", cue.id());
        out.put("kind", cue.kind());
        try {
            out.put("payload", JSON.readTree(cue.payload()));
        } catch (JsonProcessingException e) { // a publisher's cue text that is not JSON
            out.put("payload", cue.payload());
        }
        out.put("ptsMs", cue.ptsMicros() / 1000.0);
        out.put("ingestTime", Instant.ofEpochMilli(cue.ingestWallMillis()).toString());
        out.put("late", cue.late());
        out.put("sticky", cue.sticky());
        out.put("durationMs", cue.durationMillis());
        return out;
    }
}
