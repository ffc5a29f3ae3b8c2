package io.meshlive.cluster.store;

import io.meshlive.core.StreamKey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The embedded control store: one process is the whole cluster. Same rules as the Redis store
 * (TTL liveness, SET-NX origin claims with epochs, versioned forbids), kept in memory; every call
 * completes before it returns and listeners are told on the caller's thread.
 */
public final class MemoryControlStore implements ControlStore {
    private final LongSupplier clock;
    private final Map<String, NodeInfo> nodes = new HashMap<>();
    private final Map<String, Long> nodeSeen = new HashMap<>();
    private final Map<StreamKey, StreamOrigin> origins = new HashMap<>();
    private final Map<StreamKey, Long> originRenewed = new HashMap<>();
    private final Map<StreamKey, Forbid> forbids = new HashMap<>();
    private long forbidVersion;
    private long nextEpoch = 1;
    private final List<Consumer<Long>> forbidListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Kick>> kickListeners = new CopyOnWriteArrayList<>();
    private volatile String nodeId;

    public MemoryControlStore() {
        this(System::currentTimeMillis);
    }

    /** With a clock, for tests of TTL expiry. */
    public MemoryControlStore(LongSupplier clockMillis) {
        this.clock = clockMillis;
    }

    @Override
    public void open(String nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public synchronized CompletionStage<Void> heartbeat(NodeInfo node) {
        nodes.put(node.id(), node);
        nodeSeen.put(node.id(), clock.getAsLong());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<List<NodeInfo>> nodes() {
        long now = clock.getAsLong();
        nodeSeen.entrySet().removeIf(e -> {
            boolean dead = now - e.getValue() >= NODE_TTL_MILLIS;
            if (dead) {
                nodes.remove(e.getKey());
            }
            return dead;
        });
        return CompletableFuture.completedFuture(new ArrayList<>(nodes.values()));
    }

    @Override
    public synchronized CompletionStage<OriginClaim> claimOrigin(StreamKey key, String claimant) {
        StreamOrigin held = liveOrigin(key);
        if (held != null && !held.nodeId().equals(claimant)) {
            return CompletableFuture.completedFuture(new OriginClaim(false, held));
        }
        StreamOrigin mine = held != null ? held : new StreamOrigin(key, claimant, nextEpoch++);
        origins.put(key, mine);
        originRenewed.put(key, clock.getAsLong());
        return CompletableFuture.completedFuture(new OriginClaim(true, mine));
    }

    private StreamOrigin liveOrigin(StreamKey key) {
        StreamOrigin o = origins.get(key);
        if (o != null && clock.getAsLong() - originRenewed.get(key) >= ORIGIN_TTL_MILLIS) {
            origins.remove(key);
            originRenewed.remove(key);
            return null;
        }
        return o;
    }

    @Override
    public synchronized CompletionStage<Void> releaseOrigin(StreamKey key, String claimant, long epoch) {
        StreamOrigin o = origins.get(key);
        if (o != null && o.nodeId().equals(claimant) && o.epoch() == epoch) {
            origins.remove(key);
            originRenewed.remove(key);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Optional<StreamOrigin>> origin(StreamKey key) {
        return CompletableFuture.completedFuture(Optional.ofNullable(liveOrigin(key)));
    }

    @Override
    public synchronized CompletionStage<List<StreamOrigin>> origins() {
        List<StreamOrigin> out = new ArrayList<>();
        for (StreamKey k : new ArrayList<>(origins.keySet())) {
            StreamOrigin o = liveOrigin(k);
            if (o != null) {
                out.add(o);
            }
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletionStage<Long> forbid(Forbid forbid) {
        long version;
        synchronized (this) {
            forbids.put(forbid.stream(), forbid);
            version = ++forbidVersion;
        }
        forbidListeners.forEach(l -> l.accept(version));
        return CompletableFuture.completedFuture(version);
    }

    @Override
    public CompletionStage<Optional<Long>> lift(StreamKey key) {
        long version;
        synchronized (this) {
            if (forbids.remove(key) == null) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            version = ++forbidVersion;
        }
        forbidListeners.forEach(l -> l.accept(version));
        return CompletableFuture.completedFuture(Optional.of(version));
    }

    @Override
    public synchronized CompletionStage<Versioned<List<Forbid>>> forbids() {
        return CompletableFuture.completedFuture(new Versioned<>(forbidVersion, new ArrayList<>(forbids.values())));
    }

    @Override
    public void onForbidsChanged(Consumer<Long> listener) {
        forbidListeners.add(listener);
    }

    @Override
    public CompletionStage<Void> kick(String target, long sessionId, String reason) {
        Kick k = new Kick(target, sessionId, reason);
        if (target.equals(nodeId)) {
            kickListeners.forEach(l -> l.accept(k));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onKick(Consumer<Kick> listener) {
        kickListeners.add(listener);
    }

    @Override
    public void onAvailability(Consumer<Boolean> listener) {
        // Always available.
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public void close() {
    }
}
