package io.meshlive.cluster.store;

import io.meshlive.cluster.brain.LinkReport;
import io.meshlive.cluster.brain.Route;
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
 * (TTL liveness, SET-NX origin claims with epochs, versioned forbids that must be seeded first),
 * kept in memory; every call completes before it returns and listeners are told on the caller's
 * thread. {@link #client()} gives another node in the same process its own view of the same state
 * (its own node id and listeners), as a second Redis client would.
 */
public final class MemoryControlStore implements ControlStore {
    /** The state every client of one in-memory store shares; guarded by itself. */
    private static final class State {
        final LongSupplier clock;
        final Map<String, NodeInfo> nodes = new HashMap<>();
        final Map<String, Long> nodeSeen = new HashMap<>();
        final Map<StreamKey, StreamOrigin> origins = new HashMap<>();
        final Map<StreamKey, Long> originRenewed = new HashMap<>();
        final Map<StreamKey, Forbid> forbids = new HashMap<>();
        /** -1 until seeded: a new store has no forbid list, as a new Redis has none. */
        long forbidVersion = -1;
        long nextEpoch = 1;
        String leaseHolder;
        long leaseExpires;
        Versioned<List<Route>> decisions;
        final Map<String, List<LinkReport>> links = new HashMap<>();
        final Map<String, Long> linksSeen = new HashMap<>();
        final List<MemoryControlStore> clients = new CopyOnWriteArrayList<>();

        State(LongSupplier clock) {
            this.clock = clock;
        }
    }

    private final State state;
    private final List<Consumer<Long>> forbidListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Kick>> kickListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Long>> decisionListeners = new CopyOnWriteArrayList<>();
    private volatile String nodeId;

    public MemoryControlStore() {
        this(System::currentTimeMillis);
    }

    /** With a clock, for tests of TTL expiry. */
    public MemoryControlStore(LongSupplier clockMillis) {
        this(new State(clockMillis));
    }

    private MemoryControlStore(State state) {
        this.state = state;
        state.clients.add(this);
    }

    /** Another client of this same store, for another node in this process. */
    public MemoryControlStore client() {
        return new MemoryControlStore(state);
    }

    @Override
    public void open(String nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public CompletionStage<Void> heartbeat(NodeInfo node) {
        synchronized (state) {
            state.nodes.put(node.id(), node);
            state.nodeSeen.put(node.id(), state.clock.getAsLong());
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<List<NodeInfo>> nodes() {
        synchronized (state) {
            long now = state.clock.getAsLong();
            state.nodeSeen.entrySet().removeIf(e -> {
                boolean dead = now - e.getValue() >= NODE_TTL_MILLIS;
                if (dead) {
                    state.nodes.remove(e.getKey());
                }
                return dead;
            });
            return CompletableFuture.completedFuture(new ArrayList<>(state.nodes.values()));
        }
    }

    @Override
    public CompletionStage<OriginClaim> claimOrigin(StreamKey key, String claimant) {
        synchronized (state) {
            StreamOrigin held = liveOrigin(key);
            if (held != null && !held.nodeId().equals(claimant)) {
                return CompletableFuture.completedFuture(new OriginClaim(false, held));
            }
            StreamOrigin mine = held != null ? held : new StreamOrigin(key, claimant, state.nextEpoch++);
            state.origins.put(key, mine);
            state.originRenewed.put(key, state.clock.getAsLong());
            return CompletableFuture.completedFuture(new OriginClaim(true, mine));
        }
    }

    private StreamOrigin liveOrigin(StreamKey key) {
        StreamOrigin o = state.origins.get(key);
        if (o != null && state.clock.getAsLong() - state.originRenewed.get(key) >= ORIGIN_TTL_MILLIS) {
            state.origins.remove(key);
            state.originRenewed.remove(key);
            return null;
        }
        return o;
    }

    @Override
    public CompletionStage<Void> releaseOrigin(StreamKey key, String claimant, long epoch) {
        synchronized (state) {
            StreamOrigin o = state.origins.get(key);
            if (o != null && o.nodeId().equals(claimant) && o.epoch() == epoch) {
                state.origins.remove(key);
                state.originRenewed.remove(key);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Optional<StreamOrigin>> origin(StreamKey key) {
        synchronized (state) {
            return CompletableFuture.completedFuture(Optional.ofNullable(liveOrigin(key)));
        }
    }

    @Override
    public CompletionStage<List<StreamOrigin>> origins() {
        synchronized (state) {
            List<StreamOrigin> out = new ArrayList<>();
            for (StreamKey k : new ArrayList<>(state.origins.keySet())) {
                StreamOrigin o = liveOrigin(k);
                if (o != null) {
                    out.add(o);
                }
            }
            return CompletableFuture.completedFuture(out);
        }
    }

    @Override
    public CompletionStage<Long> forbid(Forbid forbid) {
        long version;
        synchronized (state) {
            if (state.forbidVersion < 0) {
                return CompletableFuture.failedFuture(new ForbidListLostException(describe()));
            }
            state.forbids.put(forbid.stream(), forbid);
            version = ++state.forbidVersion;
        }
        pushForbids(version);
        return CompletableFuture.completedFuture(version);
    }

    @Override
    public CompletionStage<Optional<Long>> lift(StreamKey key) {
        long version;
        synchronized (state) {
            if (state.forbidVersion < 0) {
                return CompletableFuture.failedFuture(new ForbidListLostException(describe()));
            }
            if (state.forbids.remove(key) == null) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            version = ++state.forbidVersion;
        }
        pushForbids(version);
        return CompletableFuture.completedFuture(Optional.of(version));
    }

    @Override
    public CompletionStage<Long> seedForbids(Versioned<List<Forbid>> copy) {
        long version;
        synchronized (state) {
            if (state.forbidVersion >= copy.version()) {
                return CompletableFuture.completedFuture(state.forbidVersion);
            }
            copy.value().forEach(f -> state.forbids.putIfAbsent(f.stream(), f));
            version = state.forbidVersion < 0 ? copy.version() : copy.version() + 1;
            state.forbidVersion = version;
        }
        pushForbids(version);
        return CompletableFuture.completedFuture(version);
    }

    private void pushForbids(long version) {
        for (MemoryControlStore c : state.clients) {
            c.forbidListeners.forEach(l -> l.accept(version));
        }
    }

    @Override
    public CompletionStage<Versioned<List<Forbid>>> forbids() {
        synchronized (state) {
            return CompletableFuture.completedFuture(new Versioned<>(Math.max(0, state.forbidVersion), new ArrayList<>(state.forbids.values())));
        }
    }

    @Override
    public void onForbidsChanged(Consumer<Long> listener) {
        forbidListeners.add(listener);
    }

    @Override
    public CompletionStage<Void> kick(String target, long sessionId, String reason) {
        Kick k = new Kick(target, sessionId, reason);
        for (MemoryControlStore c : state.clients) {
            if (target.equals(c.nodeId)) {
                c.kickListeners.forEach(l -> l.accept(k));
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onKick(Consumer<Kick> listener) {
        kickListeners.add(listener);
    }

    @Override
    public CompletionStage<Boolean> acquireLease(String holder, long ttlMillis) {
        synchronized (state) {
            long now = state.clock.getAsLong();
            if (state.leaseHolder == null || now >= state.leaseExpires || state.leaseHolder.equals(holder)) {
                state.leaseHolder = holder;
                state.leaseExpires = now + ttlMillis;
                return CompletableFuture.completedFuture(true);
            }
            return CompletableFuture.completedFuture(false);
        }
    }

    @Override
    public CompletionStage<Optional<Long>> publishDecisions(String holder, long minVersion, List<Route> routes) {
        long version;
        synchronized (state) {
            if (!holder.equals(state.leaseHolder) || state.clock.getAsLong() >= state.leaseExpires) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            version = Math.max(minVersion, state.decisions == null ? 1 : state.decisions.version() + 1);
            state.decisions = new Versioned<>(version, List.copyOf(routes));
        }
        for (MemoryControlStore c : state.clients) {
            c.decisionListeners.forEach(l -> l.accept(version));
        }
        return CompletableFuture.completedFuture(Optional.of(version));
    }

    @Override
    public CompletionStage<Optional<Versioned<List<Route>>>> decisions() {
        synchronized (state) {
            return CompletableFuture.completedFuture(Optional.ofNullable(state.decisions));
        }
    }

    @Override
    public void onDecisionsChanged(Consumer<Long> listener) {
        decisionListeners.add(listener);
    }

    @Override
    public CompletionStage<Void> reportLinks(String reporter, List<LinkReport> links) {
        synchronized (state) {
            state.links.put(reporter, List.copyOf(links));
            state.linksSeen.put(reporter, state.clock.getAsLong());
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<List<LinkReport>> links() {
        synchronized (state) {
            long now = state.clock.getAsLong();
            state.linksSeen.entrySet().removeIf(e -> {
                boolean stale = now - e.getValue() >= LINK_TTL_MILLIS;
                if (stale) {
                    state.links.remove(e.getKey());
                }
                return stale;
            });
            List<LinkReport> out = new ArrayList<>();
            state.links.values().forEach(out::addAll);
            return CompletableFuture.completedFuture(out);
        }
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
        state.clients.remove(this);
    }
}
