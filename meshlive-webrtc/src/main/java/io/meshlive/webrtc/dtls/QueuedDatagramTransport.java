package io.meshlive.webrtc.dtls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.TlsTimeoutException;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The datagram side of BouncyCastle's blocking DTLS: datagrams our UDP socket received wait in a
 * bounded queue until BouncyCastle's thread asks for them, and what BouncyCastle sends goes to the
 * association's sender as a {@link ByteBuf}.
 *
 * <p>Closing wakes a blocked {@link #receive} with an exception, which is how a handshake thread
 * is stopped; a handshake deadline does the same once it passes (BouncyCastle's own timers only
 * pace retransmissions).
 *
 * <p>With {@link #computeInTurns}, the handshake thread computes only while it holds a turn (see
 * {@link HandshakeTurns}): it gives its turn back before it waits for a datagram and takes one
 * again, in deadline order with the other handshakes, before it hands a datagram to BouncyCastle.
 */
final class QueuedDatagramTransport implements DatagramTransport {
    /**
     * What we accept from a peer. Browsers keep datagrams near 1200 bytes; a peer on loopback
     * (openssl without -mtu) may send a whole flight in one, so leave room. BouncyCastle sizes its
     * receive buffers from this, and a datagram longer than the buffer would lose its last record.
     */
    static final int RECEIVE_LIMIT = 4096;
    /**
     * Datagrams held for the handshake thread. A flight is a handful; a peer (or an attacker)
     * sending faster than we handshake has the excess dropped, which DTLS retransmission covers.
     */
    private static final int QUEUE_CAPACITY = 64;

    private final Consumer<ByteBuf> sender;
    private final ByteBufAllocator alloc;
    private final int sendLimit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private boolean closed;
    private boolean hasDeadline;
    private long deadlineNanos;
    private volatile boolean deadlinePassed;
    /**
     * The turns the handshake computes in (null: no limit), set before its thread starts, and
     * whether that thread holds one (its own).
     */
    private HandshakeTurns turns;
    private boolean holdingTurn;

    QueuedDatagramTransport(Consumer<ByteBuf> sender, ByteBufAllocator alloc, int sendLimit) {
        this.sender = sender;
        this.alloc = alloc;
        this.sendLimit = sendLimit;
    }

    /**
     * Queues a copy of the datagram and releases it (copying lets the event loop reuse its read
     * buffer at once, and BouncyCastle wants a byte[] anyway). Never blocks.
     *
     * @return false when it was dropped: closed, or the queue is full
     */
    boolean offer(ByteBuf datagram) {
        byte[] copy;
        try {
            copy = ByteBufUtil.getBytes(datagram);
        } finally {
            datagram.release();
        }
        lock.lock();
        try {
            if (closed || inbound.size() >= QUEUE_CAPACITY) {
                return false;
            }
            inbound.add(copy);
            arrived.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    boolean hasInbound() {
        lock.lock();
        try {
            return !inbound.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** From now on, {@link #receive} fails once {@code deadlineNanos} ({@link System#nanoTime()}) has passed. */
    void deadline(long deadlineNanos) {
        lock.lock();
        try {
            this.hasDeadline = true;
            this.deadlineNanos = deadlineNanos;
        } finally {
            lock.unlock();
        }
    }

    void clearDeadline() {
        lock.lock();
        try {
            hasDeadline = false;
        } finally {
            lock.unlock();
        }
    }

    boolean deadlinePassed() {
        return deadlinePassed;
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Completes when this transport closes: by us, or by BouncyCastle after a close_notify or a fatal alert. */
    CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return sendLimit;
    }

    /** BouncyCastle's contract: the datagram's length, or -1 after {@code waitMillis} (0: no limit) without one. */
    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        byte[] datagram = awaitDatagram(waitMillis);
        if (datagram == null) {
            return -1;
        }
        takeTurn(); // BouncyCastle will compute on what it reads
        int length = Math.min(len, datagram.length);
        System.arraycopy(datagram, 0, buf, off, length);
        return length;
    }

    /** The next datagram, or null after {@code waitMillis} (0: no limit); a turn held is given back before waiting. */
    private byte[] awaitDatagram(int waitMillis) throws IOException {
        long waitEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        lock.lock();
        try {
            while (true) {
                failIfClosedOrLate();
                byte[] datagram = inbound.poll();
                if (datagram != null) {
                    return datagram;
                }
                long now = System.nanoTime();
                if (waitMillis != 0 && now - waitEnd >= 0) {
                    return null;
                }
                giveTurnBack();
                long waitNanos = waitMillis == 0 ? Long.MAX_VALUE : waitEnd - now;
                if (hasDeadline) {
                    waitNanos = Math.min(waitNanos, deadlineNanos - now);
                }
                arrived.awaitNanos(waitNanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for a DTLS datagram");
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: the handshake ends if we were closed or its deadline passed. */
    private void failIfClosedOrLate() throws IOException {
        if (closed) {
            throw new IOException("DTLS transport closed");
        }
        if (hasDeadline && System.nanoTime() - deadlineNanos >= 0) {
            deadlinePassed = true;
            throw new TlsTimeoutException("DTLS handshake deadline passed");
        }
    }

    /** Before the handshake's thread starts: it will compute in {@code turns} only, from {@link #takeTurn} on. */
    void computeInTurns(HandshakeTurns turns) {
        this.turns = turns;
    }

    /** On the handshake thread, once the handshake is over: gives back the turn, and takes no more. */
    void endTurns() {
        giveTurnBack();
        turns = null;
    }

    /**
     * On the handshake thread: waits, parked, for a turn until the deadline (nothing to wait for
     * without turns, or with one held); a handshake closed meanwhile finds out once it has one.
     */
    void takeTurn() throws IOException {
        if (turns == null || holdingTurn) {
            return;
        }
        long deadline;
        lock.lock();
        try {
            failIfClosedOrLate();
            deadline = hasDeadline ? deadlineNanos : System.nanoTime() + Long.MAX_VALUE / 2;
        } finally {
            lock.unlock();
        }
        try {
            if (!turns.take(deadline)) {
                deadlinePassed = true;
                throw new TlsTimeoutException("DTLS handshake deadline passed waiting for a turn to compute");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for a turn to compute the DTLS handshake");
        }
        holdingTurn = true;
        lock.lock();
        try {
            failIfClosedOrLate();
        } finally {
            lock.unlock();
        }
    }

    private void giveTurnBack() {
        if (holdingTurn) {
            holdingTurn = false;
            turns.give();
        }
    }

    /** Hands the datagram to the sender, unless closed: nothing leaves after {@link #close()}. */
    @Override
    public void send(byte[] buf, int off, int len) {
        if (isClosed()) {
            return;
        }
        sender.accept(alloc.buffer(len).writeBytes(buf, off, len));
    }

    /** Idempotent; wakes a blocked {@link #receive} and drops what was queued. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            inbound.clear();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        closeFuture.complete(null);
    }
}
