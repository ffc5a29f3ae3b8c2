package io.meshlive.bench;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Paces a run's report lines: one per interval from {@link #start}, until the run's time is up or
 * it is stopped. Started and awaited by one thread; stopped from any.
 */
public final class ReportClock {
    private final long everyNanos;
    private final long lengthNanos;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private long startNanos;
    private long nextNanos;
    private long endNanos;

    /** {@code length} null runs until {@link #stop}. */
    public ReportClock(Duration every, Duration length) {
        this.everyNanos = every.toNanos();
        this.lengthNanos = length == null ? -1 : length.toNanos();
    }

    public void start() {
        startNanos = System.nanoTime();
        nextNanos = startNanos + everyNanos;
        endNanos = lengthNanos < 0 ? Long.MAX_VALUE : startNanos + lengthNanos;
    }

    /** Waits for the next report: true when one is due, false when the run is over. */
    public boolean awaitReport() throws InterruptedException {
        while (!stopped.await(Math.min(nextNanos, endNanos) - System.nanoTime(), TimeUnit.NANOSECONDS)) {
            long now = System.nanoTime();
            if (now >= nextNanos) {
                nextNanos += everyNanos;
                return true;
            }
            if (now >= endNanos) {
                return false;
            }
        }
        return false;
    }

    /** Nanoseconds since {@link #start}. */
    public long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    /** Ends the run early. */
    public void stop() {
        stopped.countDown();
    }
}
