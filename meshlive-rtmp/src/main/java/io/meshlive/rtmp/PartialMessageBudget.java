package io.meshlive.rtmp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes all RTMP connections of a node may hold in messages not yet complete. One
 * connection is bounded by {@code rtmp.maxMessageSize}, but many connections each holding most
 * of a large message would fill the heap together; past this budget, the connection whose chunk
 * would go over it is closed instead.
 */
public final class PartialMessageBudget {
    private final long limit;
    private final AtomicLong held = new AtomicLong();

    public PartialMessageBudget(long limit) {
        this.limit = limit;
    }

    /** Takes {@code bytes} from the budget; false (taking nothing) when that would go over it. */
    boolean tryTake(int bytes) {
        long after = held.addAndGet(bytes);
        if (after > limit) {
            held.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    void giveBack(int bytes) {
        held.addAndGet(-bytes);
    }

    public long held() {
        return held.get();
    }

    public long limit() {
        return limit;
    }
}
