package io.meshlive.cluster.staticrelay;

/**
 * How long a relay waits before its next connection attempt: 1 s, doubling after each failure up
 * to a cap; a connection that ran for at least the cap starts the count again, so a link that
 * fails once a day retries at once while one that is refused every time settles at the cap.
 */
final class Backoff {
    static final long FIRST_MILLIS = 1000;

    private final long capMillis;
    private int failures;

    Backoff(long capMillis) {
        this.capMillis = Math.max(FIRST_MILLIS, capMillis);
    }

    /** The attempt that just ended ran for {@code ranMillis}; returns how long to wait before the next. */
    long next(long ranMillis) {
        if (ranMillis >= capMillis) {
            failures = 0;
        }
        long delay = FIRST_MILLIS << Math.min(failures, 20);
        failures++;
        return Math.min(delay, capMillis);
    }
}
