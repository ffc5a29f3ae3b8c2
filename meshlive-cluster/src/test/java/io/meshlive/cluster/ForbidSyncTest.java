package io.meshlive.cluster;

import io.meshlive.cluster.store.Forbid;
import io.meshlive.cluster.store.MemoryControlStore;
import io.meshlive.cluster.store.Versioned;
import io.meshlive.core.StreamKey;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two nodes' copies kept in step through one store, and a store that lost its list (and took a write since) getting it back from a node: nothing lost. */
class ForbidSyncTest {
    /** A node's copy as ForbidList keeps it: applies only newer versions. */
    static final class Copy implements ForbidSync.LocalCopy {
        Versioned<List<Forbid>> list;
        final List<Long> applied = new ArrayList<>();

        Copy(long version, List<Forbid> forbids) {
            this.list = new Versioned<>(version, forbids);
        }

        @Override
        public synchronized Versioned<List<Forbid>> copy() {
            return list;
        }

        @Override
        public synchronized void apply(Versioned<List<Forbid>> newer) {
            if (newer.version() > list.version()) {
                list = newer;
                applied.add(newer.version());
            }
        }
    }

    private static <T> T get(java.util.concurrent.CompletionStage<T> f) throws Exception {
        return f.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static final Forbid OLD = new Forbid(new StreamKey("live", "old"), "kept on disk", 1, 0);
    private static final Forbid NEW = new Forbid(new StreamKey("live", "new"), "posted", 2, 0);

    @Test
    void aStoreWithoutAListTakesANodesCopyAndAWriteOnOneNodeReachesTheOther() throws Exception {
        MemoryControlStore store = new MemoryControlStore(); // new: no list, like a Redis restarted empty
        MemoryControlStore storeB = store.client();
        Copy a = new Copy(5, List.of(OLD));
        Copy b = new Copy(0, List.of());
        ForbidSync syncA = new ForbidSync(store, a);
        ForbidSync syncB = new ForbidSync(storeB, b);

        // b writes first: the store has no list, so b seeds it with its own (empty, version 0) copy and writes.
        long v = get(syncB.forbid(NEW));
        assertEquals(1, v);
        assertEquals(List.of(NEW), b.copy().value());
        // a's copy is newer than the store's (version 5 against 1): a merges it in, and everyone gets both.
        get(syncA.reconcile());
        assertEquals(6, get(store.forbids()).version());
        assertEquals(2, get(store.forbids()).value().size());
        assertEquals(6, a.copy().version(), "a applied the merged list");
        get(syncB.reconcile());
        assertEquals(2, b.copy().value().size());
        assertEquals(6, b.copy().version());

        // From then on a write on either node lands on both, with one version.
        assertEquals(Optional.of(7L), get(syncA.lift(OLD.stream())));
        get(syncB.reconcile());
        assertEquals(new Versioned<>(7L, List.of(NEW)), b.copy());
        assertEquals(Optional.empty(), get(syncB.lift(OLD.stream())));
        assertTrue(b.applied.contains(6L) && b.applied.contains(7L), "b applied " + b.applied);
    }
}
