package io.meshlive.hls.serve;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Blocking playlist reloads and preload-hint part requests of one stream: a request for a part that
 * does not exist yet is parked here, holding no thread, and answered the instant the packager
 * reports the part, or when its deadline passes. Everything runs on the stream's packaging loop.
 */
public final class BlockingReloads {
    /** What a parked request does when released. */
    public interface Waiter {
        /** The awaited part now exists: answer with the current playlist (or the part). */
        void ready();

        /** The deadline passed first (answer 503, or the current playlist, as the caller decides). */
        void timedOut();
    }

    private final EventExecutor loop;
    private final long timeoutMillis;
    private final List<Parked> parked = new ArrayList<>();
    private PartPosition produced = new PartPosition(-1, -1);
    private boolean segmentComplete;

    private final class Parked {
        final PartPosition awaited;
        final Waiter waiter;
        ScheduledFuture<?> deadline;

        Parked(PartPosition awaited, Waiter waiter) {
            this.awaited = awaited;
            this.waiter = waiter;
        }
    }

    public BlockingReloads(EventExecutor loop, long timeoutMillis) {
        this.loop = loop;
        this.timeoutMillis = timeoutMillis;
    }

    /** Answers at once when {@code awaited} exists already, else parks the waiter; on the loop. */
    public void await(PartPosition awaited, Waiter waiter) {
        if (awaited.reachedBy(produced, segmentComplete)) {
            waiter.ready();
            return;
        }
        Parked p = new Parked(awaited, waiter);
        parked.add(p);
        p.deadline = loop.schedule(() -> {
            if (parked.remove(p)) {
                p.waiter.timedOut();
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** The packager finished a part ({@code segmentComplete} when it also closed its segment); on the loop. */
    public void produced(PartPosition position, boolean segmentComplete) {
        this.produced = position;
        this.segmentComplete = segmentComplete;
        if (parked.isEmpty()) {
            return;
        }
        List<Parked> ready = new ArrayList<>();
        parked.removeIf(p -> {
            boolean r = p.awaited.reachedBy(position, segmentComplete);
            if (r) {
                ready.add(p);
            }
            return r;
        });
        for (Parked p : ready) {
            p.deadline.cancel(false);
            p.waiter.ready();
        }
    }

    /** Requests parked now (the tests check that none is left behind). */
    int parkedCount() {
        return parked.size();
    }
}
