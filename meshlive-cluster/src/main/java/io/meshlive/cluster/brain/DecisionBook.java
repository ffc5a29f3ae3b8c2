package io.meshlive.cluster.brain;

import io.meshlive.cluster.store.ControlStore;
import io.meshlive.cluster.store.Versioned;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A node's copy of the brain's latest decisions, indexed by (stream, node). Pulled when the store
 * pushes a newer version and on every {@link #pull()} (pushes alone can be lost); only a higher
 * version replaces the copy, and the copy is kept whatever happens to the store or the brain, so a
 * node keeps acting on its last decisions when no brain answers.
 */
public final class DecisionBook {
    private static final Logger log = LoggerFactory.getLogger(DecisionBook.class);

    private final ControlStore store;
    /** stream → node → route; replaced whole, never changed in place. */
    private volatile Map<String, Map<String, Route>> routes = Map.of();
    private volatile long version;
    private volatile boolean failing;

    public DecisionBook(ControlStore store) {
        this.store = store;
        store.onDecisionsChanged(v -> {
            if (v > version) {
                pull();
            }
        });
    }

    /** Fetches the store's decisions and keeps them when they are newer than the copy; completes when done. */
    public CompletionStage<Void> pull() {
        return store.decisions().handle((d, e) -> {
            if (e != null) {
                if (!failing) {
                    failing = true;
                    log.warn("decisions could not be read ({}); keeping version {}", e.toString(), version);
                }
                return null;
            }
            failing = false;
            d.ifPresent(this::install);
            return null;
        });
    }

    private synchronized void install(Versioned<List<Route>> d) {
        if (d.version() <= version) {
            return;
        }
        Map<String, Map<String, Route>> next = new HashMap<>();
        for (Route r : d.value()) {
            next.computeIfAbsent(r.stream(), k -> new HashMap<>()).put(r.node(), r);
        }
        routes = next;
        version = d.version();
    }

    /** The decision for {@code node}'s copy of {@code stream}, or null when the brain made none. */
    public Route route(String stream, String node) {
        Map<String, Route> byNode = routes.get(stream);
        return byNode == null ? null : byNode.get(node);
    }

    /** Every route of the current copy, stream → node → route. */
    public Map<String, Map<String, Route>> routes() {
        return routes;
    }

    /** The version of the current copy, 0 before the first. */
    public long version() {
        return version;
    }
}
