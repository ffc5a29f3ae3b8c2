package io.meshlive.server.it;

import io.meshlive.server.ServerConfig;
import io.meshlive.testkit.RedisServer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Nodes in this JVM sharing a real Redis (a redis-server on a random port), each announced by
 * its own heartbeat; closes what it started, and what it was handed, in reverse order.
 */
final class InProcessCluster implements AutoCloseable {
    private static final String SECRET = "test-cluster-secret";
    private final RedisServer redis = RedisServer.start();
    private final List<AutoCloseable> open = new ArrayList<>();

    /** Starts node {@code id} in {@code region} with {@code roles}. */
    TestServer node(String id, String region, String... roles) throws InterruptedException {
        Consumer<ServerConfig> tuning = c -> {
            c.cluster.store = redis.uri();
            c.cluster.secret = SECRET;
            c.cluster.nodeId = id;
            c.cluster.region = region;
            c.cluster.roles = new ArrayList<>(List.of(roles));
            c.cluster.relayPort = 0;
            c.cluster.idlePullSeconds = 1;
        };
        TestServer s = TestServer.start(tuning);
        open.add(s);
        return s;
    }

    /** {@code node} goes away: it closes, so its heartbeats stop. */
    void stop(TestServer node) {
        open.remove(node);
        node.close();
    }

    /** Closes {@code resource} with the cluster (before its nodes). */
    <T extends AutoCloseable> T add(T resource) {
        open.add(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        redis.close();
    }
}
