package io.meshlive.cluster.store;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.BaseRedisAsyncCommands;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The connection to Redis behind a {@link RedisControlStore}: reads the store URI (one server,
 * Sentinel, or a Redis Cluster's seeds), connects without blocking (retrying with backoff while
 * Redis is down, which Lettuce does not do for a first connection), lets Lettuce reconnect and
 * re-subscribe after that, reports availability once per change, and fails a command at once when
 * there is no connection (a command that gets no answer fails after {@link #COMMAND_TIMEOUT}).
 */
final class RedisLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    private static final long FIRST_RETRY_MILLIS = 100;
    private static final long MAX_RETRY_MILLIS = 2_000;
    private static final long WATCH_MILLIS = 100;

    private final String description;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    /** Non-null for one server or Sentinel; the Cluster client otherwise. */
    private final RedisURI single;
    private final ScheduledExecutorService executor;
    private final List<Consumer<Boolean>> availabilityListeners = new CopyOnWriteArrayList<>();

    private volatile StatefulConnection<String, String> connection;
    private volatile RedisScriptingAsyncCommands<String, String> scripts;
    private volatile BaseRedisAsyncCommands<String, String> base;
    private volatile boolean closed;
    /** Last availability reported; null before the first connection attempt ends. Touched on {@link #executor} only. */
    private Boolean available;

    /**
     * @param uri {@code redis://}, {@code rediss://}, {@code redis-sentinel://...#master}, or several
     *            comma-separated {@code redis://} seeds of a Redis Cluster
     */
    RedisLink(String uri, ScheduledExecutorService executor) {
        this.description = uri.replaceAll("//[^@/]*@", "//"); // never a password in logs or the API
        this.executor = executor;
        List<RedisURI> seeds = seeds(uri);
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2).computationThreadPoolSize(2) // Lettuce's minimum; a control plane needs no more
                .reconnectDelay(Delay.exponential(Duration.ofMillis(FIRST_RETRY_MILLIS), Duration.ofMillis(MAX_RETRY_MILLIS), 2, TimeUnit.MILLISECONDS))
                .build();
        SocketOptions socket = SocketOptions.builder().connectTimeout(COMMAND_TIMEOUT).keepAlive(true).build();
        TimeoutOptions timeouts = TimeoutOptions.builder().fixedTimeout(COMMAND_TIMEOUT).build();
        if (seeds.size() == 1 && !uri.startsWith("redis-cluster://")) {
            this.single = seeds.get(0);
            RedisClient c = RedisClient.create(resources, single);
            c.setOptions(ClientOptions.builder().socketOptions(socket).timeoutOptions(timeouts)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
            this.client = c;
        } else {
            this.single = null;
            RedisClusterClient c = RedisClusterClient.create(resources, seeds);
            c.setOptions(ClusterClientOptions.builder().socketOptions(socket).timeoutOptions(timeouts)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
            this.client = c;
        }
    }

    /** The seeds a store URI names: one for a server or a Sentinel set, several for a Redis Cluster. */
    static List<RedisURI> seeds(String uri) {
        if (uri.startsWith("redis-sentinel://")) {
            return List.of(timed(RedisURI.create(uri)));
        }
        String scheme;
        String rest;
        if (uri.startsWith("redis-cluster://")) {
            scheme = "redis://";
            rest = uri.substring("redis-cluster://".length());
        } else if (uri.startsWith("redis://") || uri.startsWith("rediss://")) {
            scheme = uri.substring(0, uri.indexOf("//") + 2);
            rest = uri.substring(scheme.length());
        } else {
            throw new IllegalArgumentException("'cluster.store': '" + uri + "' is not a Redis URI; use redis://host:port, rediss://host:port, "
                    + "redis-sentinel://host:port,host:port#master, or redis://host:port,host:port (Redis Cluster seeds)");
        }
        String userInfo = "";
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            userInfo = rest.substring(0, at + 1);
            rest = rest.substring(at + 1);
        }
        String tail = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            tail = rest.substring(slash);
            rest = rest.substring(0, slash);
        }
        List<RedisURI> out = new ArrayList<>();
        for (String host : rest.split(",")) {
            if (host.isBlank()) {
                throw new IllegalArgumentException("'cluster.store': '" + uri + "' names an empty host");
            }
            try {
                out.add(timed(RedisURI.create(scheme + userInfo + host.trim() + tail)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'cluster.store': '" + uri + "': " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static RedisURI timed(RedisURI u) {
        u.setTimeout(COMMAND_TIMEOUT);
        return u;
    }

    String description() {
        return description;
    }

    /** Starts connecting; {@code onMessage} gets every message on {@code channels}, on the link's executor. */
    void start(Set<String> channels, BiConsumer<String, String> onMessage) {
        connect(channels, onMessage, FIRST_RETRY_MILLIS);
        executor.scheduleWithFixedDelay(this::watch, WATCH_MILLIS, WATCH_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void connect(Set<String> channels, BiConsumer<String, String> onMessage, long retryMillis) {
        if (closed) {
            return;
        }
        CompletableFuture<? extends StatefulConnection<String, String>> commands;
        CompletableFuture<? extends StatefulRedisPubSubConnection<String, String>> subscriber;
        if (client instanceof RedisClient c) {
            commands = c.connectAsync(StringCodec.UTF8, single).toCompletableFuture();
            subscriber = c.connectPubSubAsync(StringCodec.UTF8, single).toCompletableFuture();
        } else {
            RedisClusterClient c = (RedisClusterClient) client;
            commands = c.connectAsync(StringCodec.UTF8);
            subscriber = c.connectPubSubAsync(StringCodec.UTF8);
        }
        commands.thenCombine(subscriber, (cmd, sub) -> {
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    executor.execute(() -> onMessage.accept(channel, message));
                }
            });
            return sub.async().subscribe(channels.toArray(String[]::new)).toCompletableFuture().thenApply(ok -> {
                use(cmd, sub);
                return ok;
            });
        }).thenCompose(f -> f).whenCompleteAsync((ok, failure) -> {
            if (failure == null) {
                watch();
                return;
            }
            commands.thenAccept(StatefulConnection::closeAsync);
            subscriber.thenAccept(StatefulConnection::closeAsync);
            report(false, failure);
            long next = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
            if (!closed) {
                executor.schedule(() -> connect(channels, onMessage, next), retryMillis, TimeUnit.MILLISECONDS);
            }
        }, executor);
    }

    @SuppressWarnings("unchecked")
    private void use(StatefulConnection<String, String> cmd, StatefulRedisPubSubConnection<String, String> sub) {
        Object async = cmd instanceof io.lettuce.core.api.StatefulRedisConnection<String, String> s ? s.async()
                : ((io.lettuce.core.cluster.api.StatefulRedisClusterConnection<String, String>) cmd).async();
        this.scripts = (RedisScriptingAsyncCommands<String, String>) async;
        this.base = (BaseRedisAsyncCommands<String, String>) async;
        this.connection = cmd;
        if (closed) {
            cmd.closeAsync();
            sub.closeAsync();
        }
    }

    /** Reports a change of the command connection's state (Lettuce reconnects it, and re-subscribes the subscriber). */
    private void watch() {
        StatefulConnection<String, String> c = connection;
        if (c != null && !closed) {
            report(c.isOpen(), null);
        }
    }

    private void report(boolean up, Throwable cause) {
        if (available != null && available == up) {
            return;
        }
        available = up;
        if (up) {
            log.info("control store {} connected", description);
        } else {
            log.warn("control store {} unreachable{}; serving on what this node last knew, reconnecting", description,
                    cause == null ? "" : " (" + rootMessage(cause) + ")");
        }
        availabilityListeners.forEach(l -> l.accept(up));
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    void onAvailability(Consumer<Boolean> listener) {
        availabilityListeners.add(listener);
    }

    /** Runs a Lua script; fails with {@link StoreUnavailableException} when there is no connection or no answer in time. */
    <T> CompletionStage<T> eval(String script, ScriptOutputType type, String[] keys, String... args) {
        RedisScriptingAsyncCommands<String, String> s = scripts;
        if (s == null || closed) {
            return unavailable(null);
        }
        CompletionStage<T> f;
        try {
            f = s.eval(script, type, keys, args);
        } catch (RuntimeException e) {
            return unavailable(e);
        }
        return wrapFailure(f);
    }

    CompletionStage<Long> publish(String channel, String message) {
        BaseRedisAsyncCommands<String, String> b = base;
        if (b == null || closed) {
            return unavailable(null);
        }
        try {
            return wrapFailure(b.publish(channel, message));
        } catch (RuntimeException e) {
            return unavailable(e);
        }
    }

    /** Completes on the link's executor (never on a Lettuce I/O thread), with connection failures as {@link StoreUnavailableException}. */
    private <T> CompletionStage<T> wrapFailure(CompletionStage<T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        f.whenCompleteAsync((v, failure) -> {
            Throwable e = failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : failure;
            if (e == null) {
                out.complete(v);
            } else if (e instanceof io.lettuce.core.RedisCommandExecutionException x) {
                out.completeExceptionally(x); // Redis answered: an error of the script, not of the link
            } else {
                out.completeExceptionally(new StoreUnavailableException("control store " + description + ": " + rootMessage(e), e));
            }
        }, executor);
        return out;
    }

    private <T> CompletionStage<T> unavailable(Throwable cause) {
        return CompletableFuture.failedFuture(new StoreUnavailableException("control store " + description + " is unreachable"
                + (cause == null ? "" : ": " + rootMessage(cause)), cause));
    }

    @Override
    public void close() {
        closed = true; // the client's shutdown closes its connections
        client.shutdownAsync(0, 2, TimeUnit.SECONDS).whenComplete((v, e) -> resources.shutdown(0, 2, TimeUnit.SECONDS));
    }
}
