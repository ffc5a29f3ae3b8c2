package io.meshlive.cluster.brain;

import io.meshlive.cluster.store.ControlStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Publishes the brain's decisions through the control store, fenced by the lease: the store writes
 * them only while this brain holds it, at a version above any stored (so a new leader, whose own
 * counter starts again, still publishes above its predecessor). A failed publish is logged once
 * until one succeeds; nodes keep the last decisions they got.
 */
final class StoreDecisionPublisher implements DecisionPublisher {
    private static final Logger log = LoggerFactory.getLogger(StoreDecisionPublisher.class);

    private final ControlStore store;
    private final String brainId;
    private volatile boolean failing;

    StoreDecisionPublisher(ControlStore store, String brainId) {
        this.store = store;
        this.brainId = brainId;
    }

    @Override
    public void publish(long version, Map<String, Map<String, Route>> routes) {
        List<Route> all = new ArrayList<>();
        routes.values().forEach(byNode -> all.addAll(byNode.values()));
        store.publishDecisions(brainId, version, all).whenComplete((written, e) -> {
            if (e != null) {
                if (!failing) {
                    failing = true;
                    log.warn("brain '{}': publishing decisions failed ({}); nodes keep their last ones", brainId, e.toString());
                }
            } else {
                failing = false;
                if (written.isEmpty()) {
                    log.info("brain '{}': lost the lease before publishing; another brain leads", brainId);
                }
            }
        });
    }
}
