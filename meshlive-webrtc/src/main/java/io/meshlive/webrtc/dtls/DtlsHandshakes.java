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
 * <p>Letting only one handshake per core compute at a time (turns, given back while waiting for
 * the peer) was tried and measured worse: on a busy machine the thread holding a turn is
 * preempted and every other handshake waits behind it (a 100-viewer surge: 61 of 100 joined,
 * against all 100 without turns).
 */
public final class DtlsHandshakes implements Executor, AutoCloseable {
    private static final long IDLE_THREAD_SECONDS = 30;

    private final ThreadPoolExecutor handshakes;
    private final ThreadPoolExecutor records;

    /**
     * @param name       thread name prefix
     * @param maxThreads handshakes in progress at once, each on its own thread
     * @param maxWaiting handshakes waiting for a thread; past this a handshake is refused
     */
    public DtlsHandshakes(String name, int maxThreads, int maxWaiting) {
        if (maxThreads < 1 || maxWaiting < 1) {
            throw new IllegalArgumentException("need at least one thread and one place in the queue");
        }
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

    /** Handshakes holding a thread (waiting for their peer or computing). */
    public int inProgress() {
        return handshakes.getActiveCount();
    }

    /** Handshakes waiting for a thread. */
    public int waiting() {
        return handshakes.getQueue().size();
    }

    /** Stops every handshake (their threads are interrupted) and the post-handshake tasks. */
    @Override
    public void close() {
        handshakes.shutdownNow();
        records.shutdownNow();
    }
}
