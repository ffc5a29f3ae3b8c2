package io.meshlive.core.cue;

/**
 * Where an injected cue goes on the stream's timeline: the next video frame, the first video frame
 * at or after a stream time, or the first video frame ingested at or after a wall-clock time. A
 * time already sent places the cue on the frame it names (if still remembered) and sends it at once,
 * flagged late.
 */
public sealed interface CueTime {
    /** The next video frame the publisher sends. */
    record Next() implements CueTime {
    }

    /** The video frame at or after this pts (µs, the stream's own timeline). */
    record StreamTime(long ptsMicros) implements CueTime {
    }

    /** The video frame ingested at or after this wall-clock time (ms since the epoch). */
    record WallClock(long epochMillis) implements CueTime {
    }

    CueTime NEXT = new Next();
}
