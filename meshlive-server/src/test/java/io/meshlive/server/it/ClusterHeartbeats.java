package io.meshlive.server.it;

import io.meshlive.cluster.ClusterConfig;
import io.meshlive.cluster.store.ControlStore;
import io.meshlive.cluster.store.ControlStores;
import io.meshlive.cluster.store.NodeInfo;
import io.meshlive.cluster.store.NodeLoad;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Registers test nodes in the control store every 300 ms with their region, roles and relay
 * address: what each node's own heartbeat agent does, for tests of the relays alone. A node taken
 * out with {@link #remove} stops being refreshed and drops out of the registry by TTL, as a dead one.
 */
final class ClusterHeartbeats implements AutoCloseable {
    private final ControlStore store;
    private final Map<String, NodeInfo> nodes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-heartbeats");
        t.setDaemon(true);
        return t;
    });

    ClusterHeartbeats(String storeUri) {
        ClusterConfig c = new ClusterConfig();
        c.store = storeUri;
        c.secret = "unused";
        this.store = ControlStores.open(c);
        store.open("test-heartbeats");
        timer.scheduleAtFixedRate(this::beat, 0, 300, TimeUnit.MILLISECONDS);
    }

    void add(String id, String region, Set<String> roles, String relayAddress) {
        nodes.put(id, new NodeInfo(id, region, roles, Map.of("relay", relayAddress), new NodeLoad(0, 0, 0, 0, 0), 0, List.of()));
        beat();
    }

    void remove(String id) {
        nodes.remove(id);
    }

    private synchronized void beat() {
        long now = System.currentTimeMillis();
        for (NodeInfo n : nodes.values()) {
            store.heartbeat(new NodeInfo(n.id(), n.region(), n.roles(), n.addresses(), n.load(), now, n.carried()));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        store.close();
    }
}
