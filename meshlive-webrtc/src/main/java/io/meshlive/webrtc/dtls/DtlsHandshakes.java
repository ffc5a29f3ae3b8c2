package io.meshlive.webrtc.dtls;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a process's DTLS handshakes run. BouncyCastle's DTLS API blocks, so each handshake in
 * progress holds a thread, parked most of the time waiting for the peer's next flight. A surge of
 * joins must not be refused because many are in progress: past {@code maxThreads} handshakes
 * wait in line for a thread (their deadline runs meanwhile), and only past {@code maxWaiting}
 * more is one refused with {@link RejectedExecutionException}. Those two bound what strangers can
 * make us spend (threads, and the datagrams a waiting handshake has queued).
 *
 * <p>Of the handshakes on threads, only {@code computing} run BouncyCastle at once, in turns given
 * back while they wait for the peer and handed on in deadline order ({@link HandshakeTurns}). A
 * surge on a full core then does not make hundreds of threads runnable beside the event loops
 * that carry its flights and the viewers' media, while a far viewer's handshake, waiting out its
 * round trips, holds a thread but no turn. One turn per core was measured too few (the holder is
 * preempted and every handshake waits behind it: 61 of a 100-viewer surge joined).
 */
public final class DtlsHandshakes implements Executor, AutoCloseable {
    private static final long IDLE_THREAD_SECONDS = 30;

    private final ThreadPoolExecutor handshakes;
    private final ThreadPoolExecutor records;
    private final HandshakeTurns turns;

    /**
     * @param name       thread name prefix
     * @param maxThreads handshakes in progress at once, each on its own thread
     * @param maxWaiting handshakes waiting for a thread; past this a handshake is refused
     * @param computing  handshakes that may compute at once
     */
    public DtlsHandshakes(String name, int maxThreads, int maxWaiting, int computing) {
        if (maxThreads < 1 || maxWaiting < 1 || computing < 1) {
            throw new IllegalArgumentException("need at least one thread, one place in the queue and one turn to compute");
        }
        this.turns = new HandshakeTurns(computing);
        this.handshakes = pool(name + "-dtls-handshake-", maxThreads, new LinkedBlockingQueue<>(maxWaiting));
        // Post-handshake records (SCTP for data channels, a repeated final flight, close_notify) are short
        // tasks with at most one queued per association: a few threads, apart from the handshakes, so a
        // surge of handshakes never delays a data channel's cue.
        this.records = pool(name + "-dtls-records-", Runtime.getRuntime().availableProcessors(), new LinkedBlockingQueue<>());
    }

    private static ThreadPoolExecutor pool(String prefix, int threads, LinkedBlockingQueue<Runnable> queue) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, IDLE_THREAD_SECONDS, TimeUnit.SECONDS, queue, r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Runs a handshake; {@link RejectedExecutionException} when every thread is busy and the queue is full. */
    @Override
    public void execute(Runnable handshake) {
        handshakes.execute(handshake);
    }

    /** Runs a short post-handshake task (never refused until {@link #close}). */
    void executeRecords(Runnable task) {
        records.execute(task);
    }

    HandshakeTurns turns() {
        return turns;
    }

    /** Handshakes holding a thread (waiting for their peer or computing). */
    public int inProgress() {
        return handshakes.getActiveCount();
    }

    /** Handshakes waiting for a thread. */
    public int waiting() {
        return handshakes.getQueue().size();
    }

    /** Handshakes on a thread, with the peer's next flight in hand, waiting for a turn to compute it. */
    public int waitingForTurn() {
        return turns.waiting();
    }

    /** Stops every handshake (their threads are interrupted) and the post-handshake tasks. */
    @Override
    public void close() {
        handshakes.shutdownNow();
        records.shutdownNow();
    }
}
