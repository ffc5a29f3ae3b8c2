package io.meshlive.cluster.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The node list as read from the store at most once per max age (the heartbeat interval), shared by
 * every caller on this node: each relayed stream re-plans every couple of seconds, and one read
 * of every node (with the streams each carries) per stream would grow with streams times nodes.
 * Nodes heartbeat each second and lapse after {@link ControlStore#NODE_TTL_MILLIS}, so a list
 * this old is as current as the store's. A read in flight is shared; a failed one is not kept.
 */
public final class RecentNodes {
    private final ControlStore store;
    private final long maxAgeNanos;
    // Guarded by this.
    private CompletableFuture<List<NodeInfo>> read;
    private long readNanos;

    /** @param maxAgeMillis how old a read may be and still be served: the heartbeat interval, as nodes say nothing newer more often */
    public RecentNodes(ControlStore store, long maxAgeMillis) {
        this.store = store;
        this.maxAgeNanos = TimeUnit.MILLISECONDS.toNanos(maxAgeMillis);
    }

    /** Every live node, as of at most the max age ago (never blocks; completes as {@link ControlStore#nodes} does). */
    public synchronized CompletionStage<List<NodeInfo>> get() {
        long now = System.nanoTime();
        boolean stale = read == null || read.isCompletedExceptionally()
                || (read.isDone() && now - readNanos >= maxAgeNanos);
        if (stale) {
            readNanos = now;
            read = store.nodes().thenApply(List::copyOf).toCompletableFuture();
        }
        return read.minimalCompletionStage();
    }
}
