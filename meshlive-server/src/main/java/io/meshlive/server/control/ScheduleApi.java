package io.meshlive.server.control;

import io.meshlive.cluster.brain.ViewerSchedule;
import io.meshlive.cluster.store.ControlStore;
import io.meshlive.cluster.store.RecentNodes;
import io.meshlive.cluster.store.StoreUnavailableException;
import io.meshlive.core.StreamKey;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * {@code GET /api/v1/schedule?app=&stream=&protocol=&client=}: the nodes a viewer should play from,
 * best first, each with its play URL. {@code client} names the viewer's address (else the caller's,
 * or its {@code X-Forwarded-For} when the caller is a trusted proxy). Runs on the API thread, so it
 * may wait for the store; a store that does not answer is a 503.
 */
public final class ScheduleApi implements ControlApi.Routes {
    private final ControlStore store;
    /** The node list as of the last heartbeat: a viewer's request must not cost a read of every node. */
    private final RecentNodes nodes;
    private final ViewerSchedule schedule;

    public ScheduleApi(ControlStore store, RecentNodes nodes, ViewerSchedule schedule) {
        this.store = store;
        this.nodes = nodes;
        this.schedule = schedule;
    }

    @Override
    public ControlApi.Reply handle(ControlApi.Request req, String[] parts, SocketAddress remote) {
        if (parts.length != 1) {
            return ControlApi.Reply.error(HttpResponseStatus.NOT_FOUND, "no such resource; use /api/v1/schedule?app=&stream=&protocol=");
        }
        if (!req.method().equals(HttpMethod.GET)) {
            return ControlApi.Reply.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET");
        }
        String app = req.query().get("app");
        String name = req.query().get("stream");
        String protocol = req.query().getOrDefault("protocol", "flv");
        if (app == null || name == null) {
            return ControlApi.Reply.error(HttpResponseStatus.BAD_REQUEST, "app and stream are required, e.g. ?app=live&stream=show&protocol=whep");
        }
        StreamKey key = new StreamKey(app, name); // a bad name is an IllegalArgumentException: ControlApi's 400
        String peer = remote instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : String.valueOf(remote);
        try {
            return new ControlApi.Reply(HttpResponseStatus.OK, schedule.schedule(key, protocol, peer, req.forwardedFor(),
                    req.query().get("client"), StoreWait.await(nodes.get()), StoreWait.await(store.links())));
        } catch (StoreUnavailableException e) {
            return ControlApi.Reply.error(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
        }
    }
}
