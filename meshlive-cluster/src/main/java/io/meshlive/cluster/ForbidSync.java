package io.meshlive.cluster;

import io.meshlive.cluster.store.ControlStore;
import io.meshlive.cluster.store.Forbid;
import io.meshlive.cluster.store.ForbidListLostException;
import io.meshlive.cluster.store.Versioned;
import io.meshlive.core.StreamKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Keeps this node's forbid list and the store's the same. Writes go to the store (never only to
 * this node), and every node applies the store's list: on each push, on every
 * {@link #reconcile()} (each second: pushes alone can be lost) and when the store comes back.
 * When the store's list is older than this node's copy (a Redis that lost its data), the node
 * gives the store its copy, so a forbid outlives the store's data as long as any node keeps one.
 * While the store is down, nodes go on enforcing their copies, and writes fail.
 */
public final class ForbidSync {
    private static final Logger log = LoggerFactory.getLogger(ForbidSync.class);

    /** This node's copy of the list: what it enforces, with the store version it came from. */
    public interface LocalCopy {
        Versioned<List<Forbid>> copy();

        /** Enforces {@code list} (cuts what it forbids) and keeps it, when it is newer than the copy; otherwise ignores it. */
        void apply(Versioned<List<Forbid>> list);
    }

    private final ControlStore store;
    private final LocalCopy local;

    public ForbidSync(ControlStore store, LocalCopy local) {
        this.store = store;
        this.local = local;
        store.onForbidsChanged(version -> {
            if (version > local.copy().version()) {
                reconcile();
            }
        });
        store.onAvailability(up -> {
            if (up) {
                reconcile();
            }
        });
    }

    /**
     * Pulls the store's list and applies it when newer; seeds the store with this node's copy when
     * the store's is older. Completes when done; a store that cannot be reached leaves the copy as it is.
     */
    public CompletionStage<Void> reconcile() {
        return store.forbids().thenCompose(list -> {
            Versioned<List<Forbid>> mine = local.copy();
            if (list.version() > mine.version()) {
                local.apply(list);
            } else if (list.version() < mine.version()) {
                log.info("control store {} has forbid list version {}, this node {}: giving it this node's copy ({} forbid(s))",
                        store.describe(), list.version(), mine.version(), mine.value().size());
                return store.seedForbids(mine).thenCompose(v -> v > mine.version() ? reconcile() : CompletableFuture.completedFuture(null));
            }
            return CompletableFuture.<Void>completedFuture(null);
        });
    }

    /** Forbids a stream on every node; completes, with the list's new version, once this node enforces it. */
    public CompletionStage<Long> forbid(Forbid forbid) {
        return seedingIfLost(() -> store.forbid(forbid)).thenCompose(v -> reconcile().thenApply(x -> v));
    }

    /** Lifts a forbid on every node; completes with the new version (empty when it was not forbidden) once this node has lifted it. */
    public CompletionStage<Optional<Long>> lift(StreamKey key) {
        return seedingIfLost(() -> store.lift(key)).thenCompose(v -> reconcile().thenApply(x -> v));
    }

    /** Runs a write; when the store has no list, seeds it from this node's copy first and runs the write again. */
    private <T> CompletionStage<T> seedingIfLost(Supplier<CompletionStage<T>> write) {
        return write.get().handle((v, e) -> {
            Throwable cause = e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e;
            if (cause == null) {
                return CompletableFuture.completedFuture(v);
            }
            if (cause instanceof ForbidListLostException) {
                return store.seedForbids(local.copy()).thenCompose(seeded -> write.get());
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(f -> f);
    }
}
