package io.meshlive.webrtc.dtls;

import io.meshlive.webrtc.srtp.SrtpProfile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlertReceived;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One DTLS association. BouncyCastle's DTLS API is blocking, so the handshake runs on a thread from
 * the given executor (never on a Netty event loop), such as a {@link DtlsHandshakes}; datagrams
 * arrive from our UDP socket through {@link #receive} (called on the event loop; it never blocks:
 * it queues a copy) and leave through the given sender.
 *
 * <p>After the handshake, media is SRTP, so no thread waits on this association. A DTLS datagram
 * that still arrives (the peer's close_notify, its final flight again because our last one was
 * lost, which BouncyCastle answers by resending ours for up to four minutes, or application data:
 * SCTP for data channels, RFC 8261) schedules a short task on the executor that hands the queued
 * datagrams to BouncyCastle and returns; application data we {@link #send} is encrypted by the
 * same kind of task, so the event loop never waits on BouncyCastle's lock.
 */
public final class DtlsTransport implements AutoCloseable {
    /** Our datagrams, handshake flights included (BouncyCastle fragments to fit), stay within what every path carries. */
    public static final int MTU = 1200;
    /**
     * How long a post-handshake task waits for BouncyCastle per datagram: a datagram is already
     * queued when the task runs, so this only bounds the wait after the last one.
     */
    private static final int DRAIN_WAIT_MILLIS = 1;
    /** Application records waiting for the executor; past this the newest is dropped (SCTP resends it). */
    private static final int MAX_OUTBOUND = 256;

    private final DtlsRole role;
    private final DtlsCertificate local;
    private final HandshakeState state;
    private final QueuedDatagramTransport link;
    private final CompletableFuture<DtlsResult> result = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Guards {@link #dtls} and serialises the calls on it: post-handshake receives, and the close_notify on close. */
    private final Object dtlsLock = new Object();
    private DTLSTransport dtls;
    private volatile boolean closing;
    /** Where post-handshake tasks run. */
    private volatile Executor records;
    private volatile Duration timeout;
    private final ByteBufAllocator alloc;
    private final ConcurrentLinkedQueue<byte[]> outbound = new ConcurrentLinkedQueue<>();
    private final AtomicInteger outboundCount = new AtomicInteger();
    private volatile Consumer<ByteBuf> applicationData;

    /**
     * @param expectedPeerFingerprintSha256 from the peer's SDP {@code a=fingerprint} (see {@link SdpFingerprint#parseSha256})
     * @param offeredSrtpProfiles           {@link SrtpProfile} ids in our preference order
     * @param sender                        called from the handshake thread, the executor, or {@link #close}'s caller;
     *                                      takes ownership of each datagram
     */
    public DtlsTransport(DtlsRole role, DtlsCertificate local, byte[] expectedPeerFingerprintSha256, int[] offeredSrtpProfiles,
                         Consumer<ByteBuf> sender, ByteBufAllocator alloc) {
        this(role, local, expectedPeerFingerprintSha256, offeredSrtpProfiles, sender, alloc, MTU);
    }

    DtlsTransport(DtlsRole role, DtlsCertificate local, byte[] expectedPeerFingerprintSha256, int[] offeredSrtpProfiles,
                  Consumer<ByteBuf> sender, ByteBufAllocator alloc, int mtu) {
        if (offeredSrtpProfiles.length == 0) {
            throw new IllegalArgumentException("no SRTP profile to offer");
        }
        for (int profile : offeredSrtpProfiles) {
            if (!UseSrtp.isSupported(profile)) {
                throw new IllegalArgumentException("unsupported SRTP protection profile 0x" + Integer.toHexString(profile));
            }
        }
        this.role = role;
        this.local = local;
        this.state = new HandshakeState(expectedPeerFingerprintSha256, offeredSrtpProfiles);
        this.link = new QueuedDatagramTransport(sender, alloc, mtu);
        this.alloc = alloc;
    }

    /**
     * Where application data from the peer goes, from the executor's thread (the receiver takes
     * ownership); without a receiver it is dropped. Set it before the handshake ends.
     */
    public void applicationData(Consumer<ByteBuf> receiver) {
        this.applicationData = receiver;
    }

    /**
     * Queues one record of application data (a copy; {@code data} is released) to be encrypted and
     * sent on the executor. Never blocks; dropped when the handshake is not done, the transport is
     * closed, or {@value #MAX_OUTBOUND} records already wait.
     *
     * @return whether it was queued
     */
    public boolean send(ByteBuf data) {
        try {
            if (!result.isDone() || result.isCompletedExceptionally() || link.isClosed()) {
                return false;
            }
            if (outboundCount.incrementAndGet() > MAX_OUTBOUND) {
                outboundCount.decrementAndGet();
                return false;
            }
            // A copy crosses to the executor, so the buffer is released here, on the caller's thread.
            outbound.add(ByteBufUtil.getBytes(data));
        } finally {
            data.release();
        }
        scheduleDrain();
        return true;
    }

    /**
     * Starts the handshake on one of {@code handshakes}' threads (or in its queue for one), which it
     * holds until the handshake ends; post-handshake records are handled on its record threads. See
     * {@link #handshake(Executor, Duration)} for how the future completes; a handshake refused
     * because {@code handshakes} is full fails it with "no thread for the DTLS handshake".
     */
    public CompletableFuture<DtlsResult> handshake(DtlsHandshakes handshakes, Duration timeout) {
        return start(handshakes, handshakes::executeRecords, handshakes.turns(), timeout);
    }

    /**
     * Starts the handshake on one of {@code executor}'s threads, which it holds until the handshake
     * ends; later records are handled there too. The future completes exceptionally with a
     * {@link DtlsException} on a fingerprint mismatch, no common SRTP profile, a fatal alert from
     * the peer, {@link #close}, or no completion within {@code timeout}.
     */
    public CompletableFuture<DtlsResult> handshake(Executor executor, Duration timeout) {
        return start(executor, executor, null, timeout);
    }

    private CompletableFuture<DtlsResult> start(Executor executor, Executor records, HandshakeTurns turns, Duration timeout) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("handshake already started");
        }
        this.records = records;
        this.timeout = timeout;
        if (turns != null) {
            link.computeInTurns(turns); // read by the handshake's thread, which execute() starts after this
        }
        link.deadline(System.nanoTime() + timeout.toNanos());
        try {
            executor.execute(this::runHandshake);
        } catch (RejectedExecutionException e) {
            link.close();
            result.completeExceptionally(new DtlsException("no thread for the DTLS handshake", e));
        }
        return result;
    }

    /** Takes ownership of one DTLS datagram (first byte 20..63, RFC 7983) from the peer. Never blocks. */
    public void receive(ByteBuf datagram) {
        if (link.offer(datagram) && result.isDone()) {
            scheduleDrain();
        }
    }

    /**
     * Completes when the association ends: {@link #close}, the peer's close_notify or fatal alert,
     * or a failed handshake.
     */
    public CompletionStage<Void> closeFuture() {
        return link.closeFuture().minimalCompletionStage();
    }

    /** Sends close_notify if established, stops a running handshake, and drops queued datagrams. */
    @Override
    public void close() {
        closing = true;
        synchronized (dtlsLock) {
            if (dtls != null && !link.isClosed()) {
                try {
                    dtls.close(); // close_notify, then closes the link
                } catch (IOException e) {
                    // BouncyCastle swallows send failures here; nothing to add.
                }
            }
            link.close();
        }
        result.completeExceptionally(new DtlsException("DTLS transport closed"));
    }

    private void runHandshake() {
        try {
            link.takeTurn();
            DTLSTransport transport = role == DtlsRole.SERVER
                    ? serverProtocol().accept(new DtlsSrtpServer(local, state), link)
                    : new DTLSClientProtocol().connect(new DtlsSrtpClient(local, state), link);
            synchronized (dtlsLock) {
                if (link.isClosed()) {
                    throw new IOException("closed as the handshake completed");
                }
                dtls = transport;
                link.clearDeadline();
            }
            link.endTurns();
            result.complete(state.result());
            scheduleDrain(); // datagrams that arrived while the handshake was ending
        } catch (IOException | RuntimeException e) {
            link.endTurns();
            link.close();
            result.completeExceptionally(explain(e));
        }
    }

    /**
     * No HelloVerifyRequest: its cookie proves the client's address is real, which ICE's
     * connectivity check has already proved, and it would cost a round trip.
     */
    private static DTLSServerProtocol serverProtocol() {
        DTLSServerProtocol protocol = new DTLSServerProtocol();
        protocol.setVerifyRequests(false);
        return protocol;
    }

    private DtlsException explain(Exception e) {
        if (closing) {
            return new DtlsException("DTLS transport closed", e);
        }
        if (link.deadlinePassed()) {
            return new DtlsException("handshake timed out after " + describe(timeout), e);
        }
        if (state.abortReason() != null) {
            return new DtlsException(state.abortReason(), e);
        }
        if (e instanceof TlsFatalAlertReceived alert) {
            return new DtlsException("peer sent fatal alert " + AlertDescription.getText(alert.getAlertDescription()), e);
        }
        return new DtlsException("handshake failed: " + e, e);
    }

    private static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private void scheduleDrain() {
        if ((link.hasInbound() || !outbound.isEmpty()) && drainScheduled.compareAndSet(false, true)) {
            try {
                records.execute(this::drain);
            } catch (RejectedExecutionException e) {
                drainScheduled.set(false); // the executor is shutting down; the datagrams wait for close()
            }
        }
    }

    /** Lets BouncyCastle encrypt and process what was queued after the handshake; see the class comment. */
    private void drain() {
        drainScheduled.set(false); // before reading, so a datagram queued meanwhile schedules another task
        byte[] received = null;
        synchronized (dtlsLock) {
            try {
                byte[] record;
                while (!link.isClosed() && (record = outbound.poll()) != null) {
                    outboundCount.decrementAndGet();
                    dtls.send(record, 0, record.length);
                }
                while (link.hasInbound() && !link.isClosed()) {
                    if (received == null) {
                        received = new byte[QueuedDatagramTransport.RECEIVE_LIMIT];
                    }
                    int n = dtls.receive(received, 0, received.length, DRAIN_WAIT_MILLIS);
                    Consumer<ByteBuf> receiver = applicationData;
                    if (n > 0 && receiver != null) {
                        receiver.accept(alloc.buffer(n).writeBytes(received, 0, n));
                    }
                }
            } catch (IOException e) {
                link.close(); // a fatal alert from the peer, or a record BouncyCastle could not take: the association is over
            }
        }
    }
}
