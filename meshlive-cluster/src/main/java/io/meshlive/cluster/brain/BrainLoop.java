package io.meshlive.cluster.brain;

import io.meshlive.cluster.store.ControlStore;
import io.meshlive.cluster.store.NodeInfo;
import io.meshlive.cluster.store.StreamOrigin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link Brain} over the control store, one {@link #tick()} a second on the brain's own
 * thread: reads the live nodes, the origins and the links nodes reported, tells the brain which
 * nodes joined or died, which streams started and which links clearly degraded, and lets it
 * recompute and publish if it holds the lease. Every node may run one; the lease makes one of them lead. A tick the store cannot
 * answer is logged once (until one succeeds) and skipped.
 */
public final class BrainLoop {
    private static final Logger log = LoggerFactory.getLogger(BrainLoop.class);
    /** Heartbeats carry no per-stream bit rate yet; the load penalty assumes this for each copy. */
    static final long ASSUMED_STREAM_BITS_PER_SECOND = 3_000_000;
    static final long LEASE_TTL_MILLIS = 3_000;
    static final long FULL_RECOMPUTE_MILLIS = 5_000;
    private static final long STORE_WAIT_MILLIS = 2_000;

    private final ControlStore store;
    private final String brainId;
    private final Brain brain;
    private final QualityMap qualityMap;
    private final LinkDegradation degradation;
    private volatile Set<String> liveNodes = Set.of();
    private Set<String> liveStreams = Set.of();
    private boolean failing;

    public BrainLoop(ControlStore store, String brainId, BrainSettings settings) {
        this.store = store;
        this.brainId = brainId;
        // The agents report smoothed figures already: the map takes each report as it is.
        this.qualityMap = new QualityMap(1.0, ControlStore.LINK_TTL_MILLIS, id -> liveNodes.contains(id));
        this.degradation = new LinkDegradation(settings);
        this.brain = new Brain(brainId, new DecisionCentre(settings), qualityMap, new StoreLeaderLease(store),
                new StoreDecisionPublisher(store, brainId), FULL_RECOMPUTE_MILLIS, LEASE_TTL_MILLIS);
    }

    /** One round; returns true when it published a new version. Called on the brain's thread only. */
    public boolean tick() {
        try {
            List<NodeInfo> nodes = await(store.nodes().toCompletableFuture());
            List<StreamOrigin> origins = await(store.origins().toCompletableFuture());
            Set<String> ids = new HashSet<>();
            nodes.forEach(n -> ids.add(n.id()));
            for (String id : ids) {
                if (!liveNodes.contains(id)) {
                    brain.nodeJoined(id);
                }
            }
            for (String id : liveNodes) {
                if (!ids.contains(id)) {
                    brain.nodeDied(id);
                    degradation.forgetNode(id);
                }
            }
            liveNodes = Set.copyOf(ids);
            for (LinkReport r : await(store.links().toCompletableFuture())) {
                Link now = qualityMap.report(r) ? qualityMap.link(r.from(), r.to()) : null;
                if (now != null && degradation.worse(now)) {
                    brain.linkDegraded(r.from(), r.to());
                }
            }
            Set<String> streams = new HashSet<>();
            for (StreamOrigin o : origins) {
                String s = o.stream().toString();
                streams.add(s);
                if (!liveStreams.contains(s)) {
                    brain.streamStarted(s);
                }
            }
            liveStreams = streams;
            ContentCentre content = ContentCentre.fromStore(origins, nodes, s -> ASSUMED_STREAM_BITS_PER_SECOND);
            boolean published = brain.tick(nodes.stream().map(NodeState::of).toList(), content, System.currentTimeMillis());
            failing = false;
            return published;
        } catch (Exception e) {
            if (!failing) {
                failing = true;
                log.warn("brain '{}': the control store did not answer ({}); skipping ticks until it does", brainId, e.toString());
            }
            return false;
        }
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(STORE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }
}
