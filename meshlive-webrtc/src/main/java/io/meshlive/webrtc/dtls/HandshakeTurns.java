package io.meshlive.webrtc.dtls;

import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Turns to compute DTLS handshakes: a handshake holds one while BouncyCastle runs on its thread
 * and gives it back while it waits for the peer's next flight (see
 * {@link QueuedDatagramTransport}). A free turn goes to the waiting handshake whose deadline comes
 * first, so the handshakes of a surge finish in the order they came instead of all slowing down
 * together until none meets its deadline.
 */
final class HandshakeTurns {
    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>((a, b) -> a.deadlineNanos != b.deadlineNanos
            ? Long.compare(a.deadlineNanos - b.deadlineNanos, 0) : Long.compare(a.order, b.order));
    private int free;
    private long arrivals;

    /** A handshake waiting for a turn; {@code hasTurn} and the queue change under the lock only. */
    private static final class Waiter {
        final long deadlineNanos;
        final long order;
        final Condition granted;
        boolean hasTurn;

        Waiter(long deadlineNanos, long order, Condition granted) {
            this.deadlineNanos = deadlineNanos;
            this.order = order;
            this.granted = granted;
        }
    }

    HandshakeTurns(int turns) {
        if (turns < 1) {
            throw new IllegalArgumentException("need at least one turn");
        }
        this.free = turns;
    }

    /**
     * Waits, parked, for a turn until {@code deadlineNanos} ({@link System#nanoTime()}).
     *
     * @return false when the deadline passed first (no turn is held then)
     */
    boolean take(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            if (free > 0 && waiting.isEmpty()) {
                free--;
                return true;
            }
            Waiter w = new Waiter(deadlineNanos, arrivals++, lock.newCondition());
            waiting.add(w);
            try {
                while (!w.hasTurn) {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        waiting.remove(w);
                        return false;
                    }
                    w.granted.awaitNanos(left);
                }
                return true;
            } catch (InterruptedException e) {
                if (w.hasTurn) {
                    passOn();
                } else {
                    waiting.remove(w);
                }
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Gives a turn back: to the waiting handshake with the earliest deadline, if any. */
    void give() {
        lock.lock();
        try {
            passOn();
        } finally {
            lock.unlock();
        }
    }

    private void passOn() {
        Waiter next = waiting.poll();
        if (next == null) {
            free++;
        } else {
            next.hasTurn = true;
            next.granted.signal();
        }
    }

    /** Turns free now (for tests). */
    int free() {
        lock.lock();
        try {
            return free;
        } finally {
            lock.unlock();
        }
    }

    /** Handshakes waiting for a turn now. */
    int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }
}
