package io.meshlive.cluster.brain;

import io.meshlive.cluster.store.ControlStore;

import java.util.concurrent.TimeUnit;

/**
 * The leader lease kept in the control store. Waits for the store's answer, so it is called on the
 * brain's own thread only; a store that does not answer means "not leading" (a brain cut off from
 * the store must not publish, and its lease lapses for another to take).
 */
final class StoreLeaderLease implements LeaderLease {
    private final ControlStore store;

    StoreLeaderLease(ControlStore store) {
        this.store = store;
    }

    @Override
    public boolean acquireOrRenew(String brainId, long ttlMillis) {
        try {
            return store.acquireLease(brainId, ttlMillis).toCompletableFuture().get(ttlMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }
}
