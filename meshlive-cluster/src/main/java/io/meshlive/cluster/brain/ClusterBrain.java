package io.meshlive.cluster.brain;

import io.meshlive.cluster.route.RoutePlanner;
import io.meshlive.cluster.store.ControlStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What {@code cluster.planner: brain} runs on a node: the brain loop (every node runs one, the
 * lease picks the leader), the node's {@link DecisionBook}, and the planner the relays ask. One
 * thread of its own ({@code meshlive-brain}), never an event loop, as the loop waits on the store.
 */
public final class ClusterBrain implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterBrain.class);
    private static final long TICK_MILLIS = 1_000;

    private final ScheduledExecutorService executor;
    private final DecisionBook book;
    private final BrainLoop loop;

    public ClusterBrain(ControlStore store, String nodeId) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meshlive-brain");
            t.setDaemon(true);
            return t;
        });
        this.book = new DecisionBook(store);
        this.loop = new BrainLoop(store, "brain@" + nodeId, BrainSettings.defaults());
        executor.scheduleWithFixedDelay(this::round, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        log.info("cluster: node {} runs the brain (the lease decides which node's brain leads)", nodeId);
    }

    private void round() {
        loop.tick();
        book.pull();
    }

    /** The planner over this node's decisions, falling back to {@code tree}. */
    public RoutePlanner planner(RoutePlanner tree) {
        return new BrainPlanner(book, tree);
    }

    public DecisionBook decisions() {
        return book;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
