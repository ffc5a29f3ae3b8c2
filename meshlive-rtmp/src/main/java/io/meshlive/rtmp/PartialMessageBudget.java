package io.meshlive.rtmp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes RTMP connections may hold in messages not yet complete. One connection is bounded
 * by {@code rtmp.maxMessageSize}, but many connections each holding most of a large message
 * would fill the heap together; past this budget, the connection whose chunk would go over it is
 * closed instead. The server's listener shares one among all its connections; a client connection
 * (to a server it chose) has one of its own, so strangers' half-sent messages never starve it.
 */
public final class PartialMessageBudget {
    private final long limit;
    /** Why a connection over this budget is closed, and what to change: the error names it. */
    private final String overWhat;
    private final AtomicLong held = new AtomicLong();

    private PartialMessageBudget(long limit, String overWhat) {
        this.limit = limit;
        this.overWhat = overWhat;
    }

    /** The node's budget, shared by every connection its RTMP listener accepts. */
    public PartialMessageBudget(long limit) {
        this(limit, "incomplete messages of all RTMP connections hold over the node's budget of " + limit
                + " bytes (rtmp.partialMessageBudget)");
    }

    /** The budget of one client connection: what the server it plays from may leave half-sent at once. */
    public static PartialMessageBudget ofOneConnection(long limit) {
        return new PartialMessageBudget(limit, "incomplete messages from the server hold over this client connection's budget of "
                + limit + " bytes");
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

    /** The protocol error's text for a chunk that would go over the budget. */
    String exceeded() {
        return overWhat;
    }

    public long held() {
        return held.get();
    }
}
