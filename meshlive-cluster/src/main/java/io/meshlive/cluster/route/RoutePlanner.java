package io.meshlive.cluster.route;

import io.meshlive.cluster.store.NodeInfo;
import io.meshlive.core.StreamKey;

import java.util.List;

/**
 * Decides where a node pulls a stream from. Pure: no network, no clock, no state it does not get
 * as arguments, so a simulator and the node run the same code. The relay code only ever asks
 * this, so the static tree and the brain's decision centre plug in alike.
 */
public interface RoutePlanner {
    /**
     * This node's parents for {@code stream}, best first: the primary, then the backups to try in
     * order when it dies. Never contains {@code self}; empty when this node is the origin or no
     * parent is known.
     *
     * @param origin the node holding the stream's origin claim
     * @param nodes  the live nodes (this one included or not)
     * @param self   this node
     */
    List<String> parents(StreamKey stream, String origin, List<NodeInfo> nodes, NodeInfo self);
}
