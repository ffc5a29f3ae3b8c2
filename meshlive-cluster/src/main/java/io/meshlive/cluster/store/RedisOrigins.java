package io.meshlive.cluster.store;

import io.lettuce.core.ScriptOutputType;
import io.meshlive.core.StreamKey;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import static io.meshlive.cluster.store.ControlStore.ORIGIN_TTL_MILLIS;

/**
 * Stream ownership on Redis, the part of {@link RedisControlStore} that says which node is a
 * stream's origin: {@code {meshlive}:origin:<app/stream>} = {@code <epoch>:<node>}, set NX with a
 * TTL and renewed only by its holder; epochs come from an INCR counter per stream, first seeded
 * from Redis's clock so a Redis that lost its data still hands out higher ones; released only by
 * holder and epoch. The set {@code {meshlive}:origins} lists the streams, pruned when read.
 * Each check-and-set is one script, so two nodes claiming at once cannot both win.
 */
final class RedisOrigins {
    private static final String ORIGINS = RedisControlStore.TAG + "origins";
    private static final String ORIGIN = RedisControlStore.TAG + "origin:";
    private static final String EPOCH = RedisControlStore.TAG + "epoch:";
    /** An epoch counter nobody touched for a day is dropped; a new one starts from Redis's clock, above it. */
    private static final long EPOCH_COUNTER_TTL_MILLIS = 86_400_000;

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

    private final RedisLink link;
    private final BadEntryLog bad;

    RedisOrigins(RedisLink link, BadEntryLog bad) {
        this.link = link;
        this.bad = bad;
    }

    CompletionStage<OriginClaim> claimOrigin(StreamKey key, String claimant) {
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

    CompletionStage<Void> releaseOrigin(StreamKey key, String claimant, long epoch) {
        String stream = key.toString();
        return link.<Long>eval(RELEASE, ScriptOutputType.INTEGER, new String[]{ORIGIN + stream, ORIGINS}, epoch + ":" + claimant, stream)
                .thenApply(r -> null);
    }

    CompletionStage<Optional<StreamOrigin>> origin(StreamKey key) {
        return link.<String>eval(GET, ScriptOutputType.VALUE, new String[]{ORIGIN + key})
                .thenApply(raw -> raw == null ? Optional.empty() : Optional.ofNullable(parseOrigin(key, raw)));
    }

    CompletionStage<List<StreamOrigin>> origins() {
        return link.<List<Object>>eval(RedisControlStore.LIVE_MEMBERS, ScriptOutputType.MULTI, new String[]{ORIGINS}, ORIGIN).thenApply(this::originsOf);
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
}
