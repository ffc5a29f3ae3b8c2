package io.meshlive.cluster.store;

/**
 * A node's load, as the scheduling controller weighs it.
 *
 * @param viewers       viewer sessions on every protocol
 * @param egressBitsPerSecond what the node sends now
 * @param capacityBitsPerSecond what it is configured to send at most ({@code cluster.capacityMbps})
 * @param cpu           process CPU use, 0..1 of the whole machine
 * @param streams       streams carried (published here or relayed in)
 */
public record NodeLoad(int viewers, long egressBitsPerSecond, long capacityBitsPerSecond, double cpu, int streams) {
}
