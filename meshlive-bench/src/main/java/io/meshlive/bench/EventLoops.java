package io.meshlive.bench;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Work split over a group's event loops: each share lives on one loop and is only touched there,
 * so its counters need no synchronisation, and other threads read them through {@link #sample}.
 */
public final class EventLoops {
    /** Some clients and their counters, confined to one event loop. */
    public interface Share<R> {
        EventLoop loop();

        /** A copy of every client's counters; called on {@link #loop()}. */
        List<R> snapshot();
    }

    private EventLoops() {
    }

    public static List<EventLoop> of(EventLoopGroup group) {
        List<EventLoop> loops = new ArrayList<>();
        for (EventExecutor e : group) {
            loops.add((EventLoop) e);
        }
        return loops;
    }

    /** Item i goes to hand i mod {@code hands}. */
    public static <T> List<List<T>> deal(List<T> items, int hands) {
        List<List<T>> dealt = new ArrayList<>();
        for (int i = 0; i < hands; i++) {
            dealt.add(new ArrayList<>());
        }
        for (int i = 0; i < items.size(); i++) {
            dealt.get(i % hands).add(items.get(i));
        }
        return dealt;
    }

    /** Every share's snapshot, each taken on its own loop, concatenated in the shares' order. */
    public static <R> List<R> sample(List<? extends Share<R>> shares) throws InterruptedException {
        List<Future<List<R>>> pending = new ArrayList<>();
        for (Share<R> s : shares) {
            pending.add(s.loop().submit(s::snapshot));
        }
        List<R> all = new ArrayList<>();
        for (Future<List<R>> f : pending) {
            try {
                all.addAll(f.get());
            } catch (ExecutionException e) {
                throw new IllegalStateException("a snapshot failed on its event loop", e.getCause());
            }
        }
        return all;
    }
}
