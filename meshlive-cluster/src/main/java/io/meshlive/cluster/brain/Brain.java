package io.meshlive.cluster.brain;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drives the decision centre: recomputes on events (a node joins or dies, a stream starts, a link
 * degrades) and every {@code periodMillis}, only while it holds the leader lease, and publishes
 * each new set of decisions with a higher version. A node that dies loses its decisions at once;
 * the streams that ran through it are recomputed first. A recomputation that fails is logged once
 * (until one succeeds again) and nothing is published, so nodes keep their last good decisions.
 * Called from one thread (the brain's), with the time passed in so a simulated clock can drive it.
 */
public final class Brain {
    private static final Logger log = LoggerFactory.getLogger(Brain.class);

    private final String brainId;
    private final DecisionCentre centre;
    private final QualityMap qualityMap;
    private final LeaderLease lease;
    private final DecisionPublisher publisher;
    private final long periodMillis;
    private final long leaseTtlMillis;
    private final Set<String> dirtyStreams = new HashSet<>();
    /** Links reported worse since the last tick, as {@code from + '>' + to}. */
    private final Set<String> degradedLinks = new HashSet<>();
    private boolean dirtyAll = true;
    private long lastFullMillis = Long.MIN_VALUE;
    private long version;
    private boolean failing;

    public Brain(String brainId, DecisionCentre centre, QualityMap qualityMap, LeaderLease lease,
                 DecisionPublisher publisher, long periodMillis, long leaseTtlMillis) {
        this.brainId = brainId;
        this.centre = centre;
        this.qualityMap = qualityMap;
        this.lease = lease;
        this.publisher = publisher;
        this.periodMillis = periodMillis;
        this.leaseTtlMillis = leaseTtlMillis;
    }

    public void nodeJoined(String nodeId) {
        dirtyAll = true;
    }

    public void nodeDied(String nodeId) {
        qualityMap.forgetNode(nodeId);
        dirtyStreams.addAll(centre.nodeGone(nodeId));
    }

    public void streamStarted(String stream) {
        dirtyStreams.add(stream);
    }

    /** A link got worse (the map says so): at the next tick the streams routed over it are recomputed. */
    public void linkDegraded(String from, String to) {
        degradedLinks.add(from + '>' + to);
    }

    private void markDegradedStreams() {
        if (degradedLinks.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Map<String, Route>> e : centre.routes().entrySet()) {
            for (Route r : e.getValue().values()) {
                if (degradedLinks.contains(r.primaryParent() + '>' + r.node())) {
                    dirtyStreams.add(e.getKey());
                    break;
                }
            }
        }
        degradedLinks.clear();
    }

    /**
     * Recomputes what is due and publishes it. Returns true when a new version was published.
     *
     * @param nodes   the live nodes now
     * @param content the content centre now
     */
    public boolean tick(List<NodeState> nodes, ContentCentre content, long nowMillis) {
        if (!lease.acquireOrRenew(brainId, leaseTtlMillis)) {
            return false;
        }
        boolean periodic = lastFullMillis == Long.MIN_VALUE || nowMillis - lastFullMillis >= periodMillis;
        if (dirtyAll || periodic) {
            degradedLinks.clear(); // everything is recomputed anyway
        } else {
            markDegradedStreams();
        }
        if (!dirtyAll && !periodic && dirtyStreams.isEmpty()) {
            return false;
        }
        try {
            DecisionCentre.Snapshot snap = centre.snapshot(nodes, qualityMap.links(nowMillis));
            if (dirtyAll || periodic) {
                centre.recomputeAll(snap, content, nowMillis);
                lastFullMillis = nowMillis;
            } else {
                for (String s : dirtyStreams) {
                    LiveStream stream = content.stream(s);
                    if (stream != null) {
                        centre.recompute(snap, content, stream, nowMillis);
                    }
                }
            }
            dirtyAll = false;
            dirtyStreams.clear();
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                log.error("brain '{}': recomputation failed, nodes keep their last decisions; retrying next tick", brainId, e);
                failing = true;
            }
            return false;
        }
        publisher.publish(++version, centre.routes());
        return true;
    }
}
