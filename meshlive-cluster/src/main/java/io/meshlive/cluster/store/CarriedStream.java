package io.meshlive.cluster.store;

/**
 * One stream a node carries, as shown in the cluster's stream tree.
 *
 * @param stream          {@code app/name}
 * @param parentNodeId    the node it is relayed from, or null on its origin
 * @param viewers         this node's viewers of it
 * @param behindOriginMicros how far this node is behind the host's ingest (p50 of recent frames)
 * @param addedMicrosP50  what this node's hop added, p50
 * @param addedMicrosP99  what this node's hop added, p99
 */
public record CarriedStream(String stream, String parentNodeId, int viewers, long behindOriginMicros,
                            long addedMicrosP50, long addedMicrosP99) {
}
