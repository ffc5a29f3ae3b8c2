package io.meshlive.cluster.brain;

/** A live stream: {@code app/name}, the node its host publishes on, and its bit rate (all renditions). */
public record LiveStream(String stream, String originNodeId, long bitsPerSecond) {
}
