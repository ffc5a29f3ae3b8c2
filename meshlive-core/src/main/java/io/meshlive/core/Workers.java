package io.meshlive.core;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's I/O event loops, numbered. Every session runs on one of them, and each stream keeps
 * one fan-out per loop, so a frame crosses threads at most once per loop, never per viewer.
 */
public final class Workers {
    private final EventLoopGroup group;
    private final EventLoop[] loops;
    private final Map<EventExecutor, Integer> index = new IdentityHashMap<>();

    public Workers(EventLoopGroup group) {
        this.group = group;
        List<EventLoop> list = new ArrayList<>();
        for (EventExecutor e : group) {
            index.put(e, list.size());
            list.add((EventLoop) e);
        }
        this.loops = list.toArray(new EventLoop[0]);
    }

    public EventLoopGroup group() {
        return group;
    }

    public int size() {
        return loops.length;
    }

    public EventLoop loop(int i) {
        return loops[i];
    }

    /** The loop's number, or -1 when the executor is not one of ours. */
    public int indexOf(EventExecutor executor) {
        Integer i = index.get(executor);
        return i == null ? -1 : i;
    }

    /** The number of the loop running the caller, or -1 when the caller is not on one. */
    public int current() {
        for (int i = 0; i < loops.length; i++) {
            if (loops[i].inEventLoop()) {
                return i;
            }
        }
        return -1;
    }
}
