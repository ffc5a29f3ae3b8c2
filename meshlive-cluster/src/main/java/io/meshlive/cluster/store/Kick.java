package io.meshlive.cluster.store;

/** A request, from any node, to close one session on the node it is addressed to. */
public record Kick(String nodeId, long sessionId, String reason) {
}
