package io.meshlive.server;

import io.meshlive.core.StreamKey;
import io.meshlive.server.control.ControlApi;
import io.meshlive.server.snapshot.LiveSnapshot;
import io.meshlive.server.snapshot.LiveSnapshots;
import io.meshlive.transcode.snapshot.SnapshotMaker;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /api/v1/streams/{app}/{stream}/snapshot.jpg[?width=N]}: the stream's latest keyframe
 * as JPEG (404 when it is not live or has no video yet, 503 when the keyframe does not decode).
 * The caller checks API access first.
 */
final class SnapshotEndpoint {
    private static final String PREFIX = "/api/v1/streams/";
    private static final String SUFFIX = "/snapshot.jpg";

    private final LiveSnapshots snapshots;

    SnapshotEndpoint(LiveSnapshots snapshots) {
        this.snapshots = snapshots;
    }

    static boolean handles(String path) {
        return path.startsWith(PREFIX) && path.endsWith(SUFFIX);
    }

    /** The answer; never completes exceptionally. */
    CompletionStage<FullHttpResponse> answer(HttpMethod method, String path, Map<String, String> query) {
        if (!method.equals(HttpMethod.GET)) {
            return error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET");
        }
        StreamKey key;
        int width;
        try {
            key = StreamKey.parse(path.substring(PREFIX.length(), path.length() - SUFFIX.length()));
            width = width(query.get("width"));
        } catch (IllegalArgumentException e) {
            return error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        return snapshots.latest(key, width).handle((taken, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                return response(ControlApi.Reply.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "cannot decode the latest keyframe of " + key + ": " + cause.getMessage()));
            }
            if (taken == null) {
                return response(ControlApi.Reply.error(HttpResponseStatus.NOT_FOUND, "stream " + key + " is not live or has no video keyframe yet"));
            }
            return jpeg(taken);
        });
    }

    private static int width(String value) {
        if (value == null) {
            return 0;
        }
        try {
            int w = Integer.parseInt(value);
            if (w >= SnapshotMaker.MIN_WIDTH) {
                return w;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("width must be a whole number of pixels, at least "
                + SnapshotMaker.MIN_WIDTH + ": " + value);
    }

    private static FullHttpResponse jpeg(LiveSnapshot taken) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(taken.picture().jpeg()));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "image/jpeg");
        // The picture changes with every keyframe.
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return r;
    }

    private static CompletionStage<FullHttpResponse> error(HttpResponseStatus status, String message) {
        return CompletableFuture.completedFuture(response(ControlApi.Reply.error(status, message)));
    }

    private static FullHttpResponse response(ControlApi.Reply reply) {
        try {
            return HttpRouter.toResponse(reply);
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode " + reply, e);
        }
    }
}
