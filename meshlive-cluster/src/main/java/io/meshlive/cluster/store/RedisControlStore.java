package io.meshlive.cluster.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisCommandExecutionException;
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
import java.util.concurrent.CompletionException;
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
 *   <li>origins: {@code {meshlive}:origin:<app/stream>} = {@code <epoch>:<node>}, set NX with a TTL
 *       and renewed only by its holder (a script); epochs come from an INCR counter per stream,
 *       first seeded from Redis's clock so a Redis that lost its data still hands out higher ones;
 *       released only by holder and epoch;</li>
 *   <li>forbids: the hash {@code {meshlive}:forbids} (stream → Forbid JSON) and the counter
 *       {@code {meshlive}:forbids:version}, bumped with each change and published on the channel
 *       {@code {meshlive}:forbids};</li>
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
    private static final String TAG = "{meshlive}:";
    private static final String NODES = TAG + "nodes";
    private static final String NODE = TAG + "node:";
    private static final String ORIGINS = TAG + "origins";
    private static final String ORIGIN = TAG + "origin:";
    private static final String EPOCH = TAG + "epoch:";
    private static final String FORBIDS = TAG + "forbids";
    private static final String FORBIDS_VERSION = TAG + "forbids:version";
    private static final String FORBIDS_CHANNEL = TAG + "forbids";
    private static final String KICK_CHANNEL = TAG + "kick:";
    private static final String LEASE = TAG + "brain:lease";
    private static final String DECISIONS = TAG + "decisions";
    private static final String DECISIONS_CHANNEL = TAG + "decisions";
    private static final String LINK_NODES = TAG + "linknodes";
    private static final String LINKS = TAG + "links:";
    private static final TypeReference<List<Route>> ROUTES = new TypeReference<>() { };
    private static final TypeReference<List<LinkReport>> LINK_REPORTS = new TypeReference<>() { };
    /** An epoch counter nobody touched for a day is dropped; a new one starts from Redis's clock, above it. */
    private static final long EPOCH_COUNTER_TTL_MILLIS = 86_400_000;

    /** Sets a key with a TTL and lists its id in a set (node heartbeats, link reports). */
    private static final String SET_LISTED = """
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            redis.call('SADD', KEYS[2], ARGV[1])
            return 1""";
    private static final String LIVE_MEMBERS = """
            local out = {}
            for _, m in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              local v = redis.call('GET', ARGV[1] .. m)
              if v then table.insert(out, m); table.insert(out, v) else redis.call('SREM', KEYS[1], m) end
            end
            return out""";
    private static final String CLAIM = """
            local cur = redis.call('GET', KEYS[1])
            if cur and string.match(cur, '^%d+:.') then
              if string.sub(cur, string.find(cur, ':') + 1) ~= ARGV[1] then return {0, cur} end
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
            else
              if redis.call('EXISTS', KEYS[2]) == 0 then
                local t = redis.call('TIME')
                redis.call('SET', KEYS[2], t[1] .. string.format('%03d', math.floor(tonumber(t[2]) / 1000)))
              end
              cur = redis.call('INCR', KEYS[2]) .. ':' .. ARGV[1]
              redis.call('PEXPIRE', KEYS[2], ARGV[4])
              redis.call('SET', KEYS[1], cur, 'PX', ARGV[2])
            end
            redis.call('SADD', KEYS[3], ARGV[3])
            return {1, cur}""";
    private static final String GET = "return redis.call('GET', KEYS[1])";
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('DEL', KEYS[1])
              redis.call('SREM', KEYS[2], ARGV[2])
              return 1
            end
            return 0""";
    private static final String FORBID = """
            if redis.call('EXISTS', KEYS[2]) == 0 then return redis.error_reply('NOFORBIDLIST no forbid list') end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            local v = redis.call('INCR', KEYS[2])
            redis.call('PUBLISH', ARGV[3], v)
            return v""";
    private static final String LIFT = """
            if redis.call('EXISTS', KEYS[2]) == 0 then return redis.error_reply('NOFORBIDLIST no forbid list') end
            if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return -1 end
            local v = redis.call('INCR', KEYS[2])
            redis.call('PUBLISH', ARGV[2], v)
            return v""";
    private static final String READ_FORBIDS = """
            return {redis.call('GET', KEYS[2]) or '0', redis.call('HGETALL', KEYS[1])}""";
    private static final String SEED_FORBIDS = """
            local cur = redis.call('GET', KEYS[2])
            local want = tonumber(ARGV[1])
            if cur and tonumber(cur) >= want then return tonumber(cur) end
            for i = 3, #ARGV, 2 do redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) end
            local v = want
            if cur then v = want + 1 end
            redis.call('SET', KEYS[2], v)
            redis.call('PUBLISH', ARGV[2], v)
            return v""";

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

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final ScheduledExecutorService executor;
    private final RedisLink link;
    private final BadEntryLog bad = new BadEntryLog();
    private final List<Consumer<Long>> forbidListeners = new CopyOnWriteArrayList<>();
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
    }

    @Override
    public void open(String nodeId) {
        if (this.nodeId != null) {
            throw new IllegalStateException("control store already open as node " + this.nodeId);
        }
        this.nodeId = nodeId;
        link.start(Set.of(FORBIDS_CHANNEL, KICK_CHANNEL + nodeId, DECISIONS_CHANNEL), this::message);
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
        } else if (channel.equals(FORBIDS_CHANNEL)) {
            long version;
            try {
                version = Long.parseLong(message);
            } catch (NumberFormatException e) {
                bad.ignored("a forbid-list push", message, e);
                return;
            }
            forbidListeners.forEach(l -> l.accept(version));
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
        String json;
        try {
            json = JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return link.<Long>eval(SET_LISTED, ScriptOutputType.INTEGER, new String[]{NODE + node.id(), NODES},
                node.id(), json, String.valueOf(NODE_TTL_MILLIS)).thenApply(ok -> null);
    }

    @Override
    public CompletionStage<List<NodeInfo>> nodes() {
        return link.<List<Object>>eval(LIVE_MEMBERS, ScriptOutputType.MULTI, new String[]{NODES}, NODE).thenApply(pairs -> {
            List<NodeInfo> out = new ArrayList<>();
            for (int i = 0; i + 1 < pairs.size(); i += 2) {
                String raw = (String) pairs.get(i + 1);
                try {
                    out.add(JSON.readValue(raw, NodeInfo.class));
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    bad.ignored("node " + pairs.get(i), raw, e);
                }
            }
            return out;
        });
    }

    // ---- stream location ---------------------------------------------------------------

    @Override
    public CompletionStage<OriginClaim> claimOrigin(StreamKey key, String claimant) {
        String stream = key.toString();
        return link.<List<Object>>eval(CLAIM, ScriptOutputType.MULTI, new String[]{ORIGIN + stream, EPOCH + stream, ORIGINS},
                claimant, String.valueOf(ORIGIN_TTL_MILLIS), stream, String.valueOf(EPOCH_COUNTER_TTL_MILLIS)).thenApply(r -> {
            StreamOrigin holder = parseOrigin(key, (String) r.get(1));
            if (holder == null) { // the script writes only what parses, so a holder it names parses too
                throw new CompletionException(new IllegalStateException("origin entry of " + key + " does not parse"));
            }
            return new OriginClaim(((Long) r.get(0)) == 1, holder);
        });
    }

    /** {@code <epoch>:<node>}, or null (logged) when the entry does not parse. */
    private StreamOrigin parseOrigin(StreamKey key, String raw) {
        int colon = raw == null ? -1 : raw.indexOf(':');
        try {
            if (colon < 1 || colon == raw.length() - 1) {
                throw new IllegalArgumentException("expected <epoch>:<node>");
            }
            return new StreamOrigin(key, raw.substring(colon + 1), Long.parseLong(raw.substring(0, colon)));
        } catch (IllegalArgumentException e) {
            bad.ignored("the origin of " + key, raw, e);
            return null;
        }
    }

    @Override
    public CompletionStage<Void> releaseOrigin(StreamKey key, String claimant, long epoch) {
        String stream = key.toString();
        return link.<Long>eval(RELEASE, ScriptOutputType.INTEGER, new String[]{ORIGIN + stream, ORIGINS}, epoch + ":" + claimant, stream)
                .thenApply(r -> null);
    }

    @Override
    public CompletionStage<Optional<StreamOrigin>> origin(StreamKey key) {
        return link.<String>eval(GET, ScriptOutputType.VALUE, new String[]{ORIGIN + key})
                .thenApply(raw -> raw == null ? Optional.empty() : Optional.ofNullable(parseOrigin(key, raw)));
    }

    @Override
    public CompletionStage<List<StreamOrigin>> origins() {
        return link.<List<Object>>eval(LIVE_MEMBERS, ScriptOutputType.MULTI, new String[]{ORIGINS}, ORIGIN).thenApply(this::originsOf);
    }

    private List<StreamOrigin> originsOf(List<Object> pairs) {
        List<StreamOrigin> out = new ArrayList<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            String stream = (String) pairs.get(i);
            StreamKey key;
            try {
                key = StreamKey.parse(stream);
            } catch (IllegalArgumentException e) {
                bad.ignored("a stream name in " + ORIGINS, stream, e);
                continue;
            }
            StreamOrigin o = parseOrigin(key, (String) pairs.get(i + 1));
            if (o != null) {
                out.add(o);
            }
        }
        return out;
    }

    // ---- forbids -----------------------------------------------------------------------

    @Override
    public CompletionStage<Long> forbid(Forbid forbid) {
        String json;
        try {
            json = JSON.writeValueAsString(forbid);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return forbidListCall(link.eval(FORBID, ScriptOutputType.INTEGER, new String[]{FORBIDS, FORBIDS_VERSION},
                forbid.stream().toString(), json, FORBIDS_CHANNEL));
    }

    @Override
    public CompletionStage<Optional<Long>> lift(StreamKey key) {
        return forbidListCall(link.<Long>eval(LIFT, ScriptOutputType.INTEGER, new String[]{FORBIDS, FORBIDS_VERSION}, key.toString(), FORBIDS_CHANNEL))
                .thenApply(v -> v < 0 ? Optional.<Long>empty() : Optional.of(v));
    }

    /** Turns the scripts' "no forbid list" error into {@link ForbidListLostException}. */
    private <T> CompletionStage<T> forbidListCall(CompletionStage<T> call) {
        CompletableFuture<T> out = new CompletableFuture<>();
        call.whenComplete((v, e) -> {
            Throwable cause = e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e;
            if (cause == null) {
                out.complete(v);
            } else if (cause instanceof RedisCommandExecutionException x && String.valueOf(x.getMessage()).contains("NOFORBIDLIST")) {
                out.completeExceptionally(new ForbidListLostException(describe()));
            } else {
                out.completeExceptionally(cause);
            }
        });
        return out;
    }

    @Override
    public CompletionStage<Long> seedForbids(Versioned<List<Forbid>> copy) {
        List<String> args = new ArrayList<>();
        args.add(String.valueOf(copy.version()));
        args.add(FORBIDS_CHANNEL);
        try {
            for (Forbid f : copy.value()) {
                args.add(f.stream().toString());
                args.add(JSON.writeValueAsString(f));
            }
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return link.eval(SEED_FORBIDS, ScriptOutputType.INTEGER, new String[]{FORBIDS, FORBIDS_VERSION}, args.toArray(String[]::new));
    }

    @Override
    public CompletionStage<Versioned<List<Forbid>>> forbids() {
        return link.<List<Object>>eval(READ_FORBIDS, ScriptOutputType.MULTI, new String[]{FORBIDS, FORBIDS_VERSION}).thenApply(r -> {
            long version;
            try {
                version = Long.parseLong((String) r.get(0));
            } catch (NumberFormatException e) {
                throw new CompletionException(new IllegalStateException("forbid-list version '" + r.get(0) + "' is not a number", e));
            }
            @SuppressWarnings("unchecked")
            List<Object> fields = (List<Object>) r.get(1);
            List<Forbid> out = new ArrayList<>();
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                String raw = (String) fields.get(i + 1);
                try {
                    out.add(JSON.readValue(raw, Forbid.class));
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    bad.ignored("the forbid of " + fields.get(i), raw, e);
                }
            }
            return new Versioned<>(version, out);
        });
    }

    @Override
    public void onForbidsChanged(Consumer<Long> listener) {
        forbidListeners.add(listener);
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
        String json;
        try {
            json = JSON.writeValueAsString(links);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return link.<Long>eval(SET_LISTED, ScriptOutputType.INTEGER, new String[]{LINKS + reporter, LINK_NODES},
                reporter, json, String.valueOf(LINK_TTL_MILLIS)).thenApply(ok -> null);
    }

    @Override
    public CompletionStage<List<LinkReport>> links() {
        return link.<List<Object>>eval(LIVE_MEMBERS, ScriptOutputType.MULTI, new String[]{LINK_NODES}, LINKS).thenApply(pairs -> {
            List<LinkReport> out = new ArrayList<>();
            for (int i = 0; i + 1 < pairs.size(); i += 2) {
                String raw = (String) pairs.get(i + 1);
                try {
                    out.addAll(JSON.readValue(raw, LINK_REPORTS));
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    bad.ignored("the links of node " + pairs.get(i), raw, e);
                }
            }
            return out;
        });
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
