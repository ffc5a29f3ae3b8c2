package io.meshlive.core.cue;

import io.meshlive.media.Frame;

/**
 * The wall-clock time a frame was ingested, in the one place cues read it: the frame's
 * {@link Frame#originMicros()}, the wall clock when the host's frame entered the cluster, which
 * relays carry unchanged. So a cue placed or read on an edge node names the origin's ingest time,
 * the same instant the origin would name.
 */
public final class IngestClock {
    private IngestClock() {
    }

    public static long wallMillis(Frame frame) {
        return frame.originMicros() / 1000;
    }
}
