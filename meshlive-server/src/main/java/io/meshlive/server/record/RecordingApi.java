package io.meshlive.server.record;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlive.core.StreamKey;
import io.meshlive.server.control.ControlApi.BadBody;
import io.meshlive.server.control.ControlApi.Reply;
import io.meshlive.server.control.ControlApi.Request;
import io.meshlive.server.control.ControlApi.StreamRoutes;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.NoSuchElementException;

/**
 * {@code POST} / {@code DELETE /api/v1/streams/{app}/{stream}/record}: starts and stops recording a
 * stream. (The active recorders are the {@code recordings} listing, {@link Recordings#list}.)
 */
public final class RecordingApi implements StreamRoutes {

    private final Recordings recordings;
    private final RecordFormat defaultFormat;

    public RecordingApi(Recordings recordings, RecordConfig config) {
        this.recordings = recordings;
        this.defaultFormat = RecordFormat.parse(config.format);
    }

    /** {@code POST} starts (body {@code {"format": "flv"|"mp4"}}, optional), {@code DELETE} stops. */
    @Override
    public Reply handle(Request req, StreamKey key, String[] rest) {
        if (rest.length != 0) {
            return Reply.error(HttpResponseStatus.NOT_FOUND, "no such resource under /api/v1/streams/" + key);
        }
        if (req.method().equals(HttpMethod.DELETE)) {
            return recordings.stop(key) ? new Reply(HttpResponseStatus.NO_CONTENT, null)
                    : Reply.error(HttpResponseStatus.NOT_FOUND, "stream " + key + " is not being recorded");
        }
        if (!req.method().equals(HttpMethod.POST)) {
            return Reply.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST to start recording, DELETE to stop");
        }
        RecordFormat format = defaultFormat;
        JsonNode body;
        try {
            body = req.jsonObject("{\"format\":\"mp4\"}");
        } catch (BadBody e) {
            return Reply.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        if (body != null && body.hasNonNull("format")) {
            format = RecordFormat.parse(body.get("format").asText()); // a bad name is a 400 naming flv and mp4
        }
        try {
            return new Reply(HttpResponseStatus.CREATED, recordings.start(key, format));
        } catch (NoSuchElementException e) {
            return Reply.error(HttpResponseStatus.NOT_FOUND, e.getMessage());
        } catch (IllegalStateException e) {
            return Reply.error(HttpResponseStatus.CONFLICT, e.getMessage());
        }
    }
}
