package io.meshlive.cluster.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ScriptOutputType;
import com.fasterxml.jackson.core.type.TypeReference;
import io.meshlive.cluster.brain.LinkReport;
import io.meshlive.cluster.brain.Route;
import io.meshlive.core.StreamKey;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The control store on Redis (Lettuce, asynchronous). Every key carries the hash tag
 * {@code {meshlive}}, so the scripts that touch several keys work on a Redis Cluster too (one slot).
 *
 * <ul>
 *   <li>nodes: {@code {meshlive}:node:<id>} = the NodeInfo as JSON, with a TTL of
 *       {@link #NODE_TTL_MILLIS}; the set {@code {meshlive}:nodes} lists ids, pruned when read;</li>
 *   <li>origins: {@code {meshlive}:origin:<app/stream>}, kept by {@link RedisOrigins};</li>
 *   <li>forbids: {@code {meshlive}:forbids} and its version counter, kept by {@link RedisForbids};</li>
 *   <li>kicks: published on {@code {meshlive}:kick:<node>}, which only that node subscribes to;</li>
 *   <li>the brain: the lease {@code {meshlive}:brain:lease} = holder, SET NX PX and renewed by its
 *       holder (a script); the hash {@code {meshlive}:decisions} (version, routes as JSON), written
 *       only by the lease holder at a higher version and published on {@code {meshlive}:decisions};
 *       each node's links {@code {meshlive}:links:<node>} (JSON, with a TTL), listed in the set
 *       {@code {meshlive}:linknodes}.</li>
 * </ul>
 *
 * Futures and listeners complete on the store's own thread, never on an event loop.
 */
public final class RedisControlStore implements ControlStore {
    static final String TAG = "{meshlive}:";
    private static final String NODES = TAG + "nodes";
    private static final String NODE = TAG + "node:";
    private static final String KICK_CHANNEL = TAG + "kick:";
    private static final String LEASE = TAG + "brain:lease";
    private static final String DECISIONS = TAG + "decisions";
    private static final String DECISIONS_CHANNEL = TAG + "decisions";
    private static final String LINK_NODES = TAG + "linknodes";
    private static final String LINKS = TAG + "links:";
    private static final TypeReference<List<Route>> ROUTES = new TypeReference<>() { };
    private static final TypeReference<List<LinkReport>> LINK_REPORTS = new TypeReference<>() { };

    /** Sets a key with a TTL and lists its id in a set (node heartbeats, link reports). */
    private static final String SET_LISTED = """
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            redis.call('SADD', KEYS[2], ARGV[1])
            return 1""";
    /** Lists a set's ids whose keys are still there, with their values; prunes the rest (their TTL ran out). */
    static final String LIVE_MEMBERS = """
            local out = {}
            for _, m in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              local v = redis.call('GET', ARGV[1] .. m)
              if v then table.insert(out, m); table.insert(out, v) else redis.call('SREM', KEYS[1], m) end
            end
            return out""";

    private static final String LEASE_SCRIPT = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]); return 1 end
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
            return 0""";
    private static final String PUBLISH_DECISIONS = """
            if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
            local v = tonumber(redis.call('HGET', KEYS[2], 'version') or '0') + 1
            if v < tonumber(ARGV[2]) then v = tonumber(ARGV[2]) end
            redis.call('HSET', KEYS[2], 'version', v, 'routes', ARGV[3])
            redis.call('PUBLISH', ARGV[4], v)
            return v""";
    private static final String READ_DECISIONS = "return redis.call('HMGET', KEYS[1], 'version', 'routes')";

    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final ScheduledExecutorService executor;
    private final RedisLink link;
    private final BadEntryLog bad = new BadEntryLog();
    private final RedisOrigins origins;
    private final RedisForbids forbids;
    private final List<Consumer<Kick>> kickListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Long>> decisionListeners = new CopyOnWriteArrayList<>();
    private volatile String nodeId;

    /** See {@link RedisLink#RedisLink} for the URIs it takes; nothing connects before {@link #open}. */
    public RedisControlStore(String uri) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meshlive-store");
            t.setDaemon(true);
            return t;
        });
        try {
            this.link = new RedisLink(uri, executor);
        } catch (RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
        this.origins = new RedisOrigins(link, bad);
        this.forbids = new RedisForbids(link, bad);
    }

    @Override
    public void open(String nodeId) {
        if (this.nodeId != null) {
            throw new IllegalStateException("control store already open as node " + this.nodeId);
        }
        this.nodeId = nodeId;
        link.start(Set.of(RedisForbids.FORBIDS_CHANNEL, KICK_CHANNEL + nodeId, DECISIONS_CHANNEL), this::message);
    }

    private void message(String channel, String message) {
        if (channel.equals(DECISIONS_CHANNEL)) {
            long version;
            try {
                version = Long.parseLong(message);
            } catch (NumberFormatException e) {
                bad.ignored("a decisions push", message, e);
                return;
            }
            decisionListeners.forEach(l -> l.accept(version));
        } else if (channel.equals(RedisForbids.FORBIDS_CHANNEL)) {
            forbids.pushed(message);
        } else if (channel.equals(KICK_CHANNEL + nodeId)) {
            Kick k;
            try {
                k = JSON.readValue(message, Kick.class);
            } catch (JsonProcessingException e) {
                bad.ignored("a kick", message, e);
                return;
            }
            kickListeners.forEach(l -> l.accept(k));
        }
    }

    // ---- nodes -------------------------------------------------------------------------

    @Override
    public CompletionStage<Void> heartbeat(NodeInfo node) {
        return setListed(NODE, NODES, node.id(), node, NODE_TTL_MILLIS);
    }

    @Override
    public CompletionStage<List<NodeInfo>> nodes() {
        return liveMembers(NODE, NODES, "node ", raw -> {
            NodeInfo n = JSON.readValue(raw, NodeInfo.class);
            return n == null ? List.of() : List.of(n); // a JSON null holds nothing
        });
    }

    /** Writes {@code value} as JSON at {@code prefix + id} with a TTL and lists {@code id} in {@code set}. */
    private CompletionStage<Void> setListed(String prefix, String set, String id, Object value, long ttlMillis) {
        String json;
        try {
            json = JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return link.<Long>eval(SET_LISTED, ScriptOutputType.INTEGER, new String[]{prefix + id, set},
                id, json, String.valueOf(ttlMillis)).thenApply(ok -> null);
    }

    /** What one listed value (JSON) holds. */
    private interface JsonEntries<T> {
        List<T> read(String json) throws JsonProcessingException;
    }

    /**
     * Everything the live members of {@code set} (their values at {@code prefix + id}) hold; a
     * value that does not parse is logged once as {@code what + id} and skipped.
     */
    private <T> CompletionStage<List<T>> liveMembers(String prefix, String set, String what, JsonEntries<T> entries) {
        return link.<List<Object>>eval(LIVE_MEMBERS, ScriptOutputType.MULTI, new String[]{set}, prefix).thenApply(pairs -> {
            List<T> out = new ArrayList<>();
            for (int i = 0; i + 1 < pairs.size(); i += 2) {
                String raw = (String) pairs.get(i + 1);
                try {
                    List<T> got = entries.read(raw);
                    if (got != null) { // a JSON null holds nothing
                        out.addAll(got);
                    }
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    bad.ignored(what + pairs.get(i), raw, e);
                }
            }
            return out;
        });
    }

    // ---- stream location ---------------------------------------------------------------

    @Override
    public CompletionStage<OriginClaim> claimOrigin(StreamKey key, String claimant) {
        return origins.claimOrigin(key, claimant);
    }

    @Override
    public CompletionStage<Void> releaseOrigin(StreamKey key, String claimant, long epoch) {
        return origins.releaseOrigin(key, claimant, epoch);
    }

    @Override
    public CompletionStage<Optional<StreamOrigin>> origin(StreamKey key) {
        return origins.origin(key);
    }

    @Override
    public CompletionStage<List<StreamOrigin>> origins() {
        return origins.origins();
    }

    // ---- forbids -----------------------------------------------------------------------

    @Override
    public CompletionStage<Long> forbid(Forbid forbid) {
        return forbids.forbid(forbid);
    }

    @Override
    public CompletionStage<Optional<Long>> lift(StreamKey key) {
        return forbids.lift(key);
    }

    @Override
    public CompletionStage<Long> seedForbids(Versioned<List<Forbid>> copy) {
        return forbids.seedForbids(copy);
    }

    @Override
    public CompletionStage<Versioned<List<Forbid>>> forbids() {
        return forbids.forbids();
    }

    @Override
    public void onForbidsChanged(Consumer<Long> listener) {
        forbids.onForbidsChanged(listener);
    }

    // ---- kicks -------------------------------------------------------------------------

    @Override
    public CompletionStage<Void> kick(String target, long sessionId, String reason) {
        String json;
        try {
            json = JSON.writeValueAsString(new Kick(target, sessionId, reason));
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return link.publish(KICK_CHANNEL + target, json).thenApply(receivers -> null);
    }

    @Override
    public void onKick(Consumer<Kick> listener) {
        kickListeners.add(listener);
    }

    // ---- the brain ---------------------------------------------------------------------

    @Override
    public CompletionStage<Boolean> acquireLease(String holder, long ttlMillis) {
        return link.<Long>eval(LEASE_SCRIPT, ScriptOutputType.INTEGER, new String[]{LEASE}, holder, String.valueOf(ttlMillis))
                .thenApply(r -> r == 1);
    }

    @Override
    public CompletionStage<Optional<Long>> publishDecisions(String holder, long minVersion, List<Route> routes) {
        String json;
        try {
            json = JSON.writeValueAsString(routes);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return link.<Long>eval(PUBLISH_DECISIONS, ScriptOutputType.INTEGER, new String[]{LEASE, DECISIONS},
                holder, String.valueOf(minVersion), json, DECISIONS_CHANNEL).thenApply(v -> v < 0 ? Optional.<Long>empty() : Optional.of(v));
    }

    @Override
    public CompletionStage<Optional<Versioned<List<Route>>>> decisions() {
        return link.<List<Object>>eval(READ_DECISIONS, ScriptOutputType.MULTI, new String[]{DECISIONS}).thenApply(r -> {
            if (r.get(0) == null || r.get(1) == null) {
                return Optional.<Versioned<List<Route>>>empty();
            }
            try {
                return Optional.of(new Versioned<>(Long.parseLong((String) r.get(0)), JSON.readValue((String) r.get(1), ROUTES)));
            } catch (JsonProcessingException | IllegalArgumentException e) {
                bad.ignored("the decisions document", (String) r.get(1), e);
                return Optional.<Versioned<List<Route>>>empty();
            }
        });
    }

    @Override
    public void onDecisionsChanged(Consumer<Long> listener) {
        decisionListeners.add(listener);
    }

    @Override
    public CompletionStage<Void> reportLinks(String reporter, List<LinkReport> links) {
        return setListed(LINKS, LINK_NODES, reporter, links, LINK_TTL_MILLIS);
    }

    @Override
    public CompletionStage<List<LinkReport>> links() {
        return liveMembers(LINKS, LINK_NODES, "the links of node ", raw -> JSON.readValue(raw, LINK_REPORTS));
    }

    // ---- availability ------------------------------------------------------------------

    @Override
    public void onAvailability(Consumer<Boolean> listener) {
        link.onAvailability(listener);
    }

    @Override
    public String describe() {
        return link.description();
    }

    @Override
    public void close() {
        link.close();
        executor.shutdown();
    }
}
