package io.meshlive.cluster.store;

import io.meshlive.testkit.RedisServer;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * For tests of several nodes over one control store: a real redis-server on a random port, a
 * {@link RedisControlStore} per node, a timer for the nodes' heartbeats and reports, and whatever
 * else the test registers; {@link #close} stops the timer, then closes the rest newest first and
 * the server last.
 */
public final class RedisStores implements AutoCloseable {
    private static final long BEAT_MILLIS = 500;

    private final RedisServer redis = RedisServer.start();
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
    private final Deque<AutoCloseable> closing = new ArrayDeque<>();

    /** The store of node {@code nodeId}, opened. */
    public ControlStore store(String nodeId) {
        RedisControlStore s = new RedisControlStore(redis.uri());
        s.open(nodeId);
        return closeLater(s);
    }

    /** Closes {@code c} with the stores, before the ones opened earlier. */
    public <T extends AutoCloseable> T closeLater(T c) {
        closing.push(c);
        return c;
    }

    /** Runs {@code beat} now and every 500 ms until closed: the nodes' heartbeats and link reports. */
    public void everyBeat(Runnable beat) {
        beats.scheduleWithFixedDelay(beat, 0, BEAT_MILLIS, TimeUnit.MILLISECONDS);
    }

    public RedisServer redis() {
        return redis;
    }

    @Override
    public void close() throws Exception {
        beats.shutdownNow();
        for (AutoCloseable c : closing) {
            c.close();
        }
        redis.close();
    }
}
