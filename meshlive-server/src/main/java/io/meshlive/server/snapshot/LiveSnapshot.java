package io.meshlive.server.snapshot;

import io.meshlive.transcode.snapshot.Snapshot;

/**
 * A stream's latest keyframe as a picture.
 *
 * @param keyframeId the keyframe's arrival time on this node, {@link System#nanoTime()}: it tells one keyframe from the next
 */
public record LiveSnapshot(Snapshot picture, long keyframeId) {
}
