package io.meshlive.cluster.brain;

import io.meshlive.cluster.store.NodeInfo;
import io.meshlive.cluster.store.NodeLoad;

import java.util.Set;

/** A live node as the brain sees it: where it is, what it may do, how loaded it is. */
public record NodeState(String id, String region, Set<String> roles, NodeLoad load) {

    public static NodeState of(NodeInfo info) {
        return new NodeState(info.id(), info.region(), info.roles(), info.load());
    }
}
