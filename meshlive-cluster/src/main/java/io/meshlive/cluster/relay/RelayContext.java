package io.meshlive.cluster.relay;

import io.meshlive.cluster.route.RoutePlanner;
import io.meshlive.cluster.store.ControlStore;
import io.meshlive.cluster.store.NodeInfo;
import io.meshlive.cluster.store.RecentNodes;
import io.meshlive.core.Hub;

/**
 * What every {@link RelaySource} of a node shares.
 *
 * @param nodes              the node list, shared by every relayed stream (one store read per second, not one per stream)
 * @param self               this node as the planner sees it (id, region, roles)
 * @param parentTimeoutMillis a parent silent this long is dead
 * @param graceMillis        a relayed stream with no frames from anywhere this long stops (its origin is gone for good)
 */
public record RelayContext(Hub hub, ControlStore store, RecentNodes nodes, RoutePlanner planner, RelayLinks links, NodeInfo self,
                           long parentTimeoutMillis, long graceMillis) {
}
