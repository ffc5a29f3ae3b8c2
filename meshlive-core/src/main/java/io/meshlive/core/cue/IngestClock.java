package io.meshlive.core.cue;

import io.meshlive.media.Frame;

/**
 * The wall-clock time a frame was ingested, in the one place that computes it: a frame carries the
 * monotonic {@link Frame#arrivalNanos()}, turned into epoch milliseconds with the offset between
 * the two clocks measured once at start. (When frames carry their origin's wall clock, this is the
 * one line to switch.)
 */
public final class IngestClock {
    private static final long WALL_MINUS_NANOS = System.currentTimeMillis() * 1_000_000L - System.nanoTime();

    private IngestClock() {
    }

    public static long wallMillis(Frame frame) {
        return (frame.arrivalNanos() + WALL_MINUS_NANOS) / 1_000_000L;
    }
}
