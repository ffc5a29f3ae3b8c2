package io.meshlive.cluster.brain;

import java.util.Map;

/**
 * Hands decisions to the nodes' executors (the relays) through the control store: pushed, and
 * pulled by version by a node that missed a push. A node keeps acting on the last decisions it
 * got when no brain answers.
 */
public interface DecisionPublisher {
    /** Publishes every route (stream → node → route) as version {@code version}, higher than any before. */
    void publish(long version, Map<String, Map<String, Route>> routes);
}
