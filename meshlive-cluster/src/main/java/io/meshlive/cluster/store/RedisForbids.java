package io.meshlive.cluster.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import io.meshlive.core.StreamKey;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static io.meshlive.cluster.store.RedisControlStore.JSON;

/**
 * The forbid list on Redis, the part of {@link RedisControlStore} that keeps it: the hash
 * {@code {meshlive}:forbids} (stream → Forbid JSON) and the counter {@code {meshlive}:forbids:version},
 * bumped with each change and published on the channel {@code {meshlive}:forbids}. A change and its
 * version bump are one script, so a node that pulls by version never sees one without the other;
 * a change refuses to run when the counter is gone (a Redis that lost its data), so that the nodes'
 * copies are seeded back first ({@link ForbidListLostException}).
 */
final class RedisForbids {
    private static final String FORBIDS = RedisControlStore.TAG + "forbids";
    private static final String FORBIDS_VERSION = RedisControlStore.TAG + "forbids:version";
    static final String FORBIDS_CHANNEL = RedisControlStore.TAG + "forbids";

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

    private final RedisLink link;
    private final BadEntryLog bad;
    private final List<Consumer<Long>> listeners = new CopyOnWriteArrayList<>();

    RedisForbids(RedisLink link, BadEntryLog bad) {
        this.link = link;
        this.bad = bad;
    }

    /** A version pushed on the forbids channel. */
    void pushed(String message) {
        long version;
        try {
            version = Long.parseLong(message);
        } catch (NumberFormatException e) {
            bad.ignored("a forbid-list push", message, e);
            return;
        }
        listeners.forEach(l -> l.accept(version));
    }

    CompletionStage<Long> forbid(Forbid forbid) {
        String json;
        try {
            json = JSON.writeValueAsString(forbid);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return forbidListCall(link.eval(FORBID, ScriptOutputType.INTEGER, new String[]{FORBIDS, FORBIDS_VERSION},
                forbid.stream().toString(), json, FORBIDS_CHANNEL));
    }

    CompletionStage<Optional<Long>> lift(StreamKey key) {
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
                out.completeExceptionally(new ForbidListLostException(link.description()));
            } else {
                out.completeExceptionally(cause);
            }
        });
        return out;
    }

    CompletionStage<Long> seedForbids(Versioned<List<Forbid>> copy) {
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

    CompletionStage<Versioned<List<Forbid>>> forbids() {
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

    void onForbidsChanged(Consumer<Long> listener) {
        listeners.add(listener);
    }
}
