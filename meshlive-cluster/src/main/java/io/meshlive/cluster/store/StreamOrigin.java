package io.meshlive.cluster.store;

import io.meshlive.core.StreamKey;

/**
 * Where a stream is published: its origin node, and the epoch of that claim (higher for each new
 * claim, so a relay can tell a new publish from an old one).
 */
public record StreamOrigin(StreamKey stream, String nodeId, long epoch) {
}
