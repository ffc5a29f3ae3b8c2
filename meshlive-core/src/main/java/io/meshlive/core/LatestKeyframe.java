package io.meshlive.core;

import io.meshlive.media.Frame;

/**
 * A stream's video decoder configuration and the keyframe that starts its current GOP: all a
 * decoder needs to show the latest picture. Both are retained for the receiver, who calls
 * {@link #release()} when done.
 */
public record LatestKeyframe(Frame config, Frame keyframe) {
    public void release() {
        config.release();
        keyframe.release();
    }
}
