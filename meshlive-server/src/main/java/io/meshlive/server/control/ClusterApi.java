package io.meshlive.server.control;

import io.meshlive.cluster.ClusterNode;
import io.meshlive.cluster.store.CarriedStream;
import io.meshlive.cluster.store.NodeInfo;
import io.meshlive.cluster.store.StoreUnavailableException;
import io.meshlive.cluster.store.StreamOrigin;
import io.meshlive.core.Hub;
import io.meshlive.core.Session;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /api/v1/cluster}: the nodes of the cluster with their load, every stream's origin and the
 * tree of nodes carrying it, and kicking a session on any node. Answers the same on every node
 * (it reads the control store); a store that cannot be reached is a 503.
 */
public final class ClusterApi implements ControlApi.Routes {

    private final ClusterNode node;
    private final Hub hub;
    private final java.util.function.Supplier<List<Object>> relays;

    /** @param relays this node's relays from other nodes, for {@code /cluster/relays} (empty on a single node) */
    public ClusterApi(ClusterNode node, Hub hub, java.util.function.Supplier<List<Object>> relays) {
        this.node = node;
        this.hub = hub;
        this.relays = relays;
    }

    @Override
    public ControlApi.Reply handle(ControlApi.Request req, String[] parts, SocketAddress remote) {
        HttpMethod m = req.method();
        try {
            if (parts.length == 2 && parts[1].equals("nodes")) {
                return m.equals(HttpMethod.GET) ? ok(Map.of("nodes", nodes())) : notAllowed("GET");
            }
            if (parts.length == 2 && parts[1].equals("streams")) {
                return m.equals(HttpMethod.GET) ? ok(Map.of("streams", streams())) : notAllowed("GET");
            }
            if (parts.length == 2 && parts[1].equals("relays")) {
                return m.equals(HttpMethod.GET) ? ok(Map.of("relays", relays.get())) : notAllowed("GET");
            }
            if (parts.length == 4 && parts[1].equals("sessions")) {
                return m.equals(HttpMethod.DELETE) ? kick(parts[2], parts[3]) : notAllowed("DELETE");
            }
        } catch (StoreUnavailableException e) {
            return ControlApi.Reply.error(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
        }
        return ControlApi.Reply.error(HttpResponseStatus.NOT_FOUND,
                "no such resource; use /api/v1/cluster/nodes, /api/v1/cluster/streams, /api/v1/cluster/relays or /api/v1/cluster/sessions/{node}/{id}");
    }

    private static ControlApi.Reply ok(Object body) {
        return new ControlApi.Reply(HttpResponseStatus.OK, body);
    }

    private static ControlApi.Reply notAllowed(String method) {
        return ControlApi.Reply.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use " + method);
    }

    private List<Object> nodes() {
        List<NodeInfo> nodes = new ArrayList<>(StoreWait.await(node.store().nodes()));
        nodes.sort(Comparator.comparing(NodeInfo::id));
        long now = System.currentTimeMillis();
        List<Object> out = new ArrayList<>();
        for (NodeInfo n : nodes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", n.id());
            m.put("self", n.id().equals(node.nodeId()));
            m.put("region", n.region());
            m.put("roles", n.roles());
            m.put("addresses", new TreeMap<>(n.addresses()));
            m.put("load", n.load());
            m.put("lastHeartbeatMillis", n.heartbeatMillis());
            m.put("heartbeatAgeMillis", Math.max(0, now - n.heartbeatMillis()));
            m.put("streams", n.carried().size());
            out.add(m);
        }
        return out;
    }

    /** Each stream: its origin claim (if any) and the tree of the nodes that carry it, from their heartbeats. */
    private List<Object> streams() {
        List<NodeInfo> nodes = StoreWait.await(node.store().nodes());
        List<StreamOrigin> origins = StoreWait.await(node.store().origins());
        Map<String, Map<String, CarriedStream>> carriers = new TreeMap<>(); // stream → node → what it carries
        for (NodeInfo n : nodes) {
            for (CarriedStream c : n.carried()) {
                carriers.computeIfAbsent(c.stream(), k -> new TreeMap<>()).put(n.id(), c);
            }
        }
        Map<String, StreamOrigin> originOf = new TreeMap<>();
        origins.forEach(o -> originOf.put(o.stream().toString(), o));
        originOf.keySet().forEach(s -> carriers.computeIfAbsent(s, k -> new TreeMap<>()));
        List<Object> out = new ArrayList<>();
        carriers.forEach((stream, byNode) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stream", stream);
            StreamOrigin o = originOf.get(stream);
            m.put("origin", o == null ? null : Map.of("node", o.nodeId(), "epoch", o.epoch()));
            m.put("viewers", byNode.values().stream().mapToInt(CarriedStream::viewers).sum());
            m.put("tree", tree(byNode, null, 0));
            out.add(m);
        });
        return out;
    }

    /** The carriers whose parent is {@code parent}, each with its children; depth-bounded so a loop in bad heartbeats cannot recurse forever. */
    private static List<Object> tree(Map<String, CarriedStream> byNode, String parent, int depth) {
        List<Object> out = new ArrayList<>();
        if (depth > byNode.size()) {
            return out;
        }
        byNode.forEach((nodeId, c) -> {
            boolean root = parent == null && (c.parentNodeId() == null || !byNode.containsKey(c.parentNodeId()));
            if (root || (parent != null && parent.equals(c.parentNodeId()))) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("node", nodeId);
                m.put("parent", c.parentNodeId());
                m.put("viewers", c.viewers());
                m.put("behindOriginMicros", c.behindOriginMicros());
                m.put("addedMicros", Map.of("p50", c.addedMicrosP50(), "p99", c.addedMicrosP99()));
                m.put("children", tree(byNode, nodeId, depth + 1));
                out.add(m);
            }
        });
        return out;
    }

    private ControlApi.Reply kick(String target, String idText) {
        long id;
        try {
            id = Long.parseLong(idText);
        } catch (NumberFormatException e) {
            return ControlApi.Reply.error(HttpResponseStatus.BAD_REQUEST, "session id must be a number: " + idText);
        }
        if (target.equals(node.nodeId())) {
            Session s = hub.sessions().get(id);
            if (s == null) {
                return ControlApi.Reply.error(HttpResponseStatus.NOT_FOUND, "no session " + id + " on node " + target);
            }
            s.close("kicked through the API");
            return new ControlApi.Reply(HttpResponseStatus.NO_CONTENT, null);
        }
        boolean live = StoreWait.await(node.store().nodes()).stream().anyMatch(n -> n.id().equals(target));
        if (!live) {
            return ControlApi.Reply.error(HttpResponseStatus.NOT_FOUND, "no live node '" + target + "' (see /api/v1/cluster/nodes)");
        }
        StoreWait.await(node.store().kick(target, id, "kicked through the API of node " + node.nodeId()));
        return new ControlApi.Reply(HttpResponseStatus.ACCEPTED, Map.of("node", target, "session", id));
    }
}
