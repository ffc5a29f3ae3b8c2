package io.meshlive.webrtc.dtls;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a process's DTLS handshakes run, and how many of them may use the CPU at once.
 *
 * <p>BouncyCastle's DTLS API blocks, so each handshake in progress holds a thread, which spends
 * most of the handshake parked, waiting for the peer's next flight; in between it computes a
 * few milliseconds of elliptic-curve work. A surge of joins used to make hundreds of those threads
 * runnable at once, and the scheduler shares a core evenly among runnable threads, so the event
 * loops that carry the STUN answers, the flights themselves, the HTTP answers and the media got a
 * few hundredths of it: every handshake slowed down, the peers' timers fired, and joins timed out
 * with the core half idle. Here only {@code computing} handshakes run BouncyCastle at a time (a
 * handshake gives its turn back while it waits for the peer, see
 * {@link QueuedDatagramTransport}); the rest queue in arrival order for their turn, so a surge is
 * served at the rate the CPU allows while the event loops keep theirs.
 *
 * <p>Bounds on what strangers can make us spend: at most {@code maxThreads} handshakes hold a
 * thread, at most {@code maxWaiting} more wait for one (holding only their queued datagrams), and
 * past that a handshake is refused with {@link RejectedExecutionException}.
 */
public final class DtlsHandshakes implements Executor, AutoCloseable {
    private static final long IDLE_THREAD_SECONDS = 30;

    private final ThreadPoolExecutor handshakes;
    private final ThreadPoolExecutor records;
    private final Semaphore turns;
    private final int computing;

    /**
     * @param name       thread name prefix
     * @param maxThreads handshakes in progress at once, each on its own thread
     * @param maxWaiting handshakes waiting for a thread; past this a handshake is refused
     * @param computing  handshakes that may compute at once
     */
    public DtlsHandshakes(String name, int maxThreads, int maxWaiting, int computing) {
        if (maxThreads < 1 || maxWaiting < 1 || computing < 1) {
            throw new IllegalArgumentException("need at least one thread, one place in the queue and one computing handshake");
        }
        this.computing = computing;
        this.turns = new Semaphore(computing, true);
        this.handshakes = pool(name + "-dtls-handshake-", maxThreads, new LinkedBlockingQueue<>(maxWaiting));
        // Post-handshake records (SCTP for data channels, a repeated final flight, close_notify) are short
        // tasks with at most one queued per association: a few threads, apart from the handshakes, so a
        // surge of handshakes never delays a data channel's cue.
        this.records = pool(name + "-dtls-records-", computing, new LinkedBlockingQueue<>());
    }

    /**
     * As many computing as processors this process may use: a surge then keeps every core busy with
     * handshakes, yet each event loop competes with one runnable handshake thread per core, not hundreds.
     */
    public static DtlsHandshakes forThisMachine(String name, int maxThreads, int maxWaiting) {
        return new DtlsHandshakes(name, maxThreads, maxWaiting, Runtime.getRuntime().availableProcessors());
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

    /** The turns to compute: a handshake holds one while BouncyCastle runs on its thread. */
    Semaphore turns() {
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

    public int computing() {
        return computing;
    }

    /** Stops every handshake (their threads are interrupted) and the post-handshake tasks. */
    @Override
    public void close() {
        handshakes.shutdownNow();
        records.shutdownNow();
    }
}
