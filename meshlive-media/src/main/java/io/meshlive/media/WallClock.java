package io.meshlive.media;

import java.time.Instant;

/**
 * Wall-clock microseconds, read through {@link System#nanoTime()} plus one offset taken when the
 * class loads: the clock is read once per process, at microsecond precision, so origin times from
 * two processes on one host differ by their true distance (currentTimeMillis alone would add up
 * to a millisecond of error to every hop measured).
 */
public final class WallClock {
    private static final long OFFSET_MICROS;

    static {
        Instant now = Instant.now();
        long nanos = System.nanoTime();
        OFFSET_MICROS = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000 - nanos / 1000;
    }

    private WallClock() {
    }

    /** The wall clock now, in microseconds since the epoch. */
    public static long micros() {
        return microsAt(System.nanoTime());
    }

    /** The wall-clock time, in microseconds since the epoch, of a {@link System#nanoTime()} reading. */
    public static long microsAt(long nanoTime) {
        return OFFSET_MICROS + nanoTime / 1000;
    }
}
