package io.meshlive.cluster.store;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a node says of itself in each heartbeat.
 *
 * @param id          unique in the cluster ({@code cluster.nodeId})
 * @param region      {@code cluster.region}
 * @param roles       e.g. {@code origin}, {@code core}, {@code edge}
 * @param addresses   by name: {@code relay}, {@code rtmp}, {@code http}, {@code webrtc} → {@code host:port}
 * @param load        the node's load now
 * @param heartbeatMillis wall-clock time of this heartbeat
 * @param carried     the streams this node carries, and from where
 */
public record NodeInfo(String id, String region, Set<String> roles, Map<String, String> addresses,
                       NodeLoad load, long heartbeatMillis, List<CarriedStream> carried) {
}
