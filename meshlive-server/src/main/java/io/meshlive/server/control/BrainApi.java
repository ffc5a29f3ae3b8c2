package io.meshlive.server.control;

import io.meshlive.cluster.brain.Route;
import io.meshlive.cluster.store.ControlStore;
import io.meshlive.cluster.store.StoreUnavailableException;
import io.meshlive.cluster.store.Versioned;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code GET /api/v1/brain}: what the media brain sees and decided, as the store holds it (any node
 * answers the same): every measured link and the latest decisions with their version. Runs on the
 * API thread, so it may wait for the store; a store that does not answer is a 503.
 */
public final class BrainApi implements ControlApi.Routes {
    private static final long STORE_WAIT_SECONDS = 3;

    private final ControlStore store;

    public BrainApi(ControlStore store) {
        this.store = store;
    }

    @Override
    public ControlApi.Reply handle(ControlApi.Request req, String[] parts, SocketAddress remote) {
        if (parts.length != 1) {
            return ControlApi.Reply.error(HttpResponseStatus.NOT_FOUND, "no such resource; use /api/v1/brain");
        }
        if (!req.method().equals(HttpMethod.GET)) {
            return ControlApi.Reply.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET");
        }
        try {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("links", store.links().toCompletableFuture().get(STORE_WAIT_SECONDS, TimeUnit.SECONDS));
            Optional<Versioned<List<Route>>> d = store.decisions().toCompletableFuture().get(STORE_WAIT_SECONDS, TimeUnit.SECONDS);
            out.put("decisionsVersion", d.map(Versioned::version).orElse(0L));
            out.put("routes", d.map(Versioned::value).orElse(List.of()));
            return new ControlApi.Reply(HttpResponseStatus.OK, out);
        } catch (ExecutionException | TimeoutException e) {
            return ControlApi.Reply.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "control store: " + (e.getCause() != null ? e.getCause().getMessage() : e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while reading the control store", e);
        }
    }
}
