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

/**
 * {@code GET /api/v1/brain}: what the media brain sees and decided, as the store holds it (any node
 * answers the same): every measured link and the latest decisions with their version. Runs on the
 * API thread, so it may wait for the store; a store that does not answer is a 503.
 */
public final class BrainApi implements ControlApi.Routes {
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
            out.put("links", StoreWait.await(store.links()));
            Optional<Versioned<List<Route>>> d = StoreWait.await(store.decisions());
            out.put("decisionsVersion", d.map(Versioned::version).orElse(0L));
            out.put("routes", d.map(Versioned::value).orElse(List.of()));
            return new ControlApi.Reply(HttpResponseStatus.OK, out);
        } catch (StoreUnavailableException e) {
            return ControlApi.Reply.error(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
        }
    }
}
