package io.meshlive.cluster.store;

import io.meshlive.cluster.brain.LinkReport;
import io.meshlive.cluster.brain.Route;
import io.meshlive.core.StreamKey;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The cluster's control plane: which nodes are alive and how loaded, which node is each stream's
 * origin, the forbid list, and kicks. Two implementations, and nothing else in the code knows
 * which it has: {@link MemoryControlStore} (the embedded default: one process, every role) and a
 * Redis one (Lettuce; the URI may name a single server, Sentinel or Redis Cluster).
 *
 * <p>Every call is asynchronous and never blocks its caller (publish paths call it from event
 * loops). A call made while the store is unreachable completes exceptionally with
 * {@link StoreUnavailableException}, at once or after the store's own timeout (about a second);
 * callers keep acting on what they last knew. Futures may complete on the store's own thread. Listeners are called on the
 * store's own thread, never on an event loop, and must not block.
 */
public interface ControlStore extends AutoCloseable {

    // ---- nodes -------------------------------------------------------------------------

    /**
     * Registers or refreshes this node, with its current load and the streams it carries. Sent
     * every second; a node not heard from for {@link #NODE_TTL_MILLIS} is no longer listed.
     */
    CompletionStage<Void> heartbeat(NodeInfo node);

    /** Every live node, in no particular order. */
    CompletionStage<List<NodeInfo>> nodes();

    /** How long a node stays listed after its last heartbeat. */
    long NODE_TTL_MILLIS = 3_000;

    // ---- stream location ---------------------------------------------------------------

    /**
     * Claims {@code key}'s origin for {@code nodeId} ({@code SET NX} with a TTL of
     * {@link #ORIGIN_TTL_MILLIS}). Granted when nobody holds it, or when {@code nodeId} already
     * does (which renews it and keeps the epoch); otherwise refused, naming the holder. Each new
     * grant gets an epoch higher than any before it for that stream.
     */
    CompletionStage<OriginClaim> claimOrigin(StreamKey key, String nodeId);

    /** Gives the origin up, if {@code nodeId} still holds it at {@code epoch}. */
    CompletionStage<Void> releaseOrigin(StreamKey key, String nodeId, long epoch);

    /** The stream's origin now, if it has one. */
    CompletionStage<Optional<StreamOrigin>> origin(StreamKey key);

    /** Every stream that has an origin. */
    CompletionStage<List<StreamOrigin>> origins();

    /** An origin claim lapses this long after its last renewal (the origin renews with its heartbeat). */
    long ORIGIN_TTL_MILLIS = 5_000;

    // ---- forbids -----------------------------------------------------------------------

    /**
     * Adds or replaces a forbid; completes with the forbid list's new version. Fails with
     * {@link ForbidListLostException} while the store has no list (see {@link #seedForbids}).
     */
    CompletionStage<Long> forbid(Forbid forbid);

    /**
     * Lifts the forbid on {@code key}; completes with the new version, or empty when it was not
     * forbidden. Fails with {@link ForbidListLostException} while the store has no list.
     */
    CompletionStage<Optional<Long>> lift(StreamKey key);

    /**
     * Gives the store a node's last copy of the forbid list, when the store's is older (a Redis
     * that lost its data, and perhaps took a write since). A store with no list takes the copy at
     * its version; a store with an older list keeps its entries, adds the copy's other entries and
     * takes the copy's version + 1 (a forbid may come back, none is lost). Pushes the change.
     * Completes with the store's version after the call. Every node seeds at start and whenever
     * the store comes back, so forbids outlive the store's data.
     */
    CompletionStage<Long> seedForbids(Versioned<List<Forbid>> copy);

    /** The whole forbid list with its version (pulled every second: pushes alone can be lost). */
    CompletionStage<Versioned<List<Forbid>>> forbids();

    /** Called with the new version whenever the forbid list changes (pushed; a hint to pull). */
    void onForbidsChanged(Consumer<Long> listener);

    // ---- kicks -------------------------------------------------------------------------

    /** Asks node {@code nodeId} to close its session {@code sessionId}. */
    CompletionStage<Void> kick(String nodeId, long sessionId, String reason);

    /** Called on this node for each kick addressed to it (see {@link #open(String)}). */
    void onKick(Consumer<Kick> listener);

    // ---- the brain ---------------------------------------------------------------------

    /**
     * Takes the brain's leader lease for {@code holder} when nobody holds it ({@code SET NX PX}),
     * or renews it when {@code holder} already does; completes with true while {@code holder} leads.
     */
    CompletionStage<Boolean> acquireLease(String holder, long ttlMillis);

    /**
     * Publishes the brain's decisions, fenced by the lease: written only while {@code holder}
     * holds it, at a version above the stored one (and at least {@code minVersion}), then pushed.
     * Completes with the version written, or empty when {@code holder} does not lead.
     */
    CompletionStage<Optional<Long>> publishDecisions(String holder, long minVersion, List<Route> routes);

    /** The last published decisions with their version, or empty when none was ever published. */
    CompletionStage<Optional<Versioned<List<Route>>>> decisions();

    /** Called with the new version whenever decisions are published (pushed; a hint to pull). */
    void onDecisionsChanged(Consumer<Long> listener);

    /**
     * Replaces node {@code nodeId}'s measured links; they lapse {@link #LINK_TTL_MILLIS} after
     * the last report, so a node that stops reporting drops out of the quality map.
     */
    CompletionStage<Void> reportLinks(String nodeId, List<LinkReport> links);

    /** Every live node's last reported links. */
    CompletionStage<List<LinkReport>> links();

    /** How long a node's link reports stay after its last report. */
    long LINK_TTL_MILLIS = 5_000;

    // ---- availability ------------------------------------------------------------------

    /** Starts talking to the store as node {@code nodeId}; subscriptions for pushes begin here. */
    void open(String nodeId);

    /** Called with false when the store becomes unreachable and true when it is back (logged once each way). */
    void onAvailability(Consumer<Boolean> listener);

    /** A short description for logs and the API, e.g. {@code memory} or {@code redis://host:6379}. */
    String describe();

    @Override
    void close();
}
