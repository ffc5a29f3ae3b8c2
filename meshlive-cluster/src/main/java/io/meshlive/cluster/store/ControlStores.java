package io.meshlive.cluster.store;

import io.meshlive.cluster.ClusterConfig;

/**
 * Opens the control store that {@code cluster.store} names: memory when it is empty, else Redis
 * ({@code redis://}, {@code rediss://}, {@code redis-sentinel://...#master}, or comma-separated
 * seeds of a Redis Cluster).
 */
public final class ControlStores {
    private ControlStores() {
    }

    public static ControlStore open(ClusterConfig config) {
        if (!config.enabled()) {
            return new MemoryControlStore();
        }
        return new RedisControlStore(config.store.trim());
    }
}
