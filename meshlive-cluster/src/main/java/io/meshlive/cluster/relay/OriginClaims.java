package io.meshlive.cluster.relay;

import io.meshlive.cluster.store.ControlStore;
import io.meshlive.core.AccessRequest;
import io.meshlive.core.Admission;
import io.meshlive.core.DemandSource;
import io.meshlive.core.DerivedSource;
import io.meshlive.core.PublishListener;
import io.meshlive.core.Session;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Makes this node the origin of what is published here, cluster-wide: a publish is admitted only
 * once the store granted this node the stream's origin ({@code SET NX}), so a second publish on
 * another node is refused while the first lives (unless {@code hub.takeover} is on, as on one
 * node). The claim is renewed every second while the publisher stays and released when it leaves;
 * its epoch numbers the stream's frames. With the store unreachable a publish is still admitted
 * (a node keeps serving on what it knows) and the claim is made when the store is back. A stream
 * this node derives from another ({@link DerivedSource}: a rendition, an audio companion) is
 * claimed when nobody holds it, and quietly left to the node that does: several may make it.
 */
public final class OriginClaims implements Admission, PublishListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OriginClaims.class);

    private final ControlStore store;
    private final String nodeId;
    private final boolean takeover;
    /** Epochs granted at admission, waiting for their publisher to attach. */
    private final Map<StreamKey, Long> granted = new ConcurrentHashMap<>();
    /** Streams published here now, with the epoch of their claim. */
    private final Map<StreamKey, Long> held = new ConcurrentHashMap<>();
    /** Those of {@link #held} this node derives from another stream: another node may hold their claim. */
    private final Set<StreamKey> derived = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "meshlive-origin-claims");
        t.setDaemon(true);
        return t;
    });

    public OriginClaims(ControlStore store, String nodeId, boolean takeover) {
        this.store = store;
        this.nodeId = nodeId;
        this.takeover = takeover;
        renewer.scheduleAtFixedRate(this::renew, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<Verdict> check(AccessRequest request) {
        if (request.action() != AccessRequest.Action.PUBLISH) {
            return CompletableFuture.completedFuture(Verdict.ALLOW);
        }
        StreamKey key = request.stream();
        return store.claimOrigin(key, nodeId).handle((claim, error) -> {
            if (error != null) {
                log.warn("stream {}: control store unreachable, publishing without an origin claim ({})", key, error.toString());
                return Verdict.ALLOW;
            }
            if (claim.granted()) {
                granted.put(key, claim.origin().epoch());
                return Verdict.ALLOW;
            }
            if (takeover) {
                return Verdict.ALLOW;
            }
            return Verdict.deny("busy: " + key + " is already published on node " + claim.origin().nodeId()
                    + " (publish there, or stop that publisher first)");
        });
    }

    @Override
    public void published(Stream stream, Session publisher) {
        if (publisher instanceof DemandSource) {
            return;
        }
        Long epoch = granted.remove(stream.key());
        long e = epoch != null ? epoch : held.getOrDefault(stream.key(), 0L);
        stream.numberFramesInEpoch(e);
        held.put(stream.key(), e);
        if (publisher instanceof DerivedSource) {
            derived.add(stream.key());
        } else {
            derived.remove(stream.key());
        }
    }

    @Override
    public void unpublished(Stream stream, Session publisher) {
        if (publisher instanceof DemandSource) {
            return;
        }
        Long epoch = held.remove(stream.key());
        derived.remove(stream.key());
        if (epoch != null && stream.publisher() == null) {
            store.releaseOrigin(stream.key(), nodeId, epoch);
        }
    }

    /** Streams this node is the origin of, with their epochs. */
    public Map<StreamKey, Long> held() {
        return Map.copyOf(held);
    }

    private void renew() {
        held.forEach((key, epoch) -> store.claimOrigin(key, nodeId).whenComplete((claim, error) -> {
            if (claim != null && !claim.granted() && !derived.contains(key)) {
                log.warn("stream {}: node {} holds its origin while it is published here too", key, claim.origin().nodeId());
            } else if (claim != null && epoch == 0) {
                // Published while the store was away: the claim (and its epoch) comes now, for the next publish.
                held.replace(key, 0L, claim.origin().epoch());
            }
        }));
    }

    @Override
    public void close() {
        renewer.shutdownNow();
        held.forEach((key, epoch) -> store.releaseOrigin(key, nodeId, epoch));
        held.clear();
    }
}
