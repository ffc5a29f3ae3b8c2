package io.meshlive.webrtc.sctp;

import io.netty.buffer.ByteBuf;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static io.meshlive.webrtc.sctp.SctpAssociation.MAX_FRAGMENT;
import static io.meshlive.webrtc.sctp.SctpAssociation.MAX_IN_FLIGHT;
import static io.meshlive.webrtc.sctp.SctpAssociation.MAX_PACKET;
import static io.meshlive.webrtc.sctp.SctpAssociation.MAX_QUEUED;
import static io.meshlive.webrtc.sctp.SctpAssociation.MAX_RETRANSMISSIONS;
import static io.meshlive.webrtc.sctp.SctpAssociation.RTO_INITIAL_MILLIS;
import static io.meshlive.webrtc.sctp.SctpAssociation.RTO_MAX_MILLIS;
import static io.meshlive.webrtc.sctp.SctpAssociation.RTO_MIN_MILLIS;

/**
 * The sending half of an association (RFC 9260 §6.1, §6.3, §7.2.4): messages are fragmented to
 * fit one DTLS record, queued (at most {@link SctpAssociation#MAX_QUEUED} bytes), sent within the
 * peer's window and {@link SctpAssociation#MAX_IN_FLIGHT}, and retransmitted on the T3 timer (RTO)
 * or after three SACKs that miss them (fast retransmit). Loop-confined.
 */
final class SctpSender {
    /** The association this half sends for. */
    interface Owner {
        /** Sends what is due now (see {@link #writeDue}). */
        void flush();

        void abort(String reason);
    }

    private final ScheduledExecutorService loop;
    private final Owner owner;
    private long nextTsn;
    private long lastCumulativeAck;
    private char[] nextSsn;
    private final ArrayDeque<Outgoing> pending = new ArrayDeque<>();
    private final ArrayDeque<Outgoing> outstanding = new ArrayDeque<>();
    private int queuedBytes;
    private int inFlightBytes;
    private long peerWindow;
    private long srttMillis = -1;
    private long rttvarMillis;
    private long rtoMillis = RTO_INITIAL_MILLIS;
    private int errorCount;
    private ScheduledFuture<?> t3;
    private long retransmissions;

    SctpSender(ScheduledExecutorService loop, Owner owner) {
        this.loop = loop;
        this.owner = owner;
    }

    /** The association is established: our first TSN, the peer's window, the streams agreed. */
    void start(long localInitialTsn, long peerWindow, int outboundStreams) {
        nextTsn = localInitialTsn;
        lastCumulativeAck = (nextTsn - 1) & 0xFFFFFFFFL;
        this.peerWindow = peerWindow;
        nextSsn = new char[outboundStreams];
    }

    /** The TSN our next DATA chunk takes. */
    long nextTsn() {
        return nextTsn;
    }

    /** Retransmissions so far (T3 and fast). */
    long retransmissions() {
        return retransmissions;
    }

    /** Queues a message (see {@link SctpAssociation#send}); takes ownership; false when the queue is full. */
    boolean queue(int stream, long ppid, boolean unordered, ByteBuf message) {
        int length = message.readableBytes();
        if (queuedBytes + length > MAX_QUEUED) {
            message.release();
            return false;
        }
        int ssn = 0;
        if (!unordered) {
            ssn = nextSsn[stream];
            nextSsn[stream] = (char) (ssn + 1);
        }
        int at = message.readerIndex();
        for (int offset = 0; offset < length; offset += MAX_FRAGMENT) {
            int n = Math.min(MAX_FRAGMENT, length - offset);
            int flags = (offset == 0 ? DataChunk.FLAG_BEGIN : 0) | (offset + n == length ? DataChunk.FLAG_END : 0)
                    | (unordered ? DataChunk.FLAG_UNORDERED : 0);
            pending.add(new Outgoing(flags, nextTsn, stream, ssn, ppid, message.retainedSlice(at + offset, n)));
            nextTsn = (nextTsn + 1) & 0xFFFFFFFFL;
        }
        queuedBytes += length;
        message.release();
        owner.flush();
        return true;
    }

    void sack(SackChunk s) throws SctpException {
        long cum = s.cumulativeTsnAck();
        long behind = (cum - lastCumulativeAck) & 0xFFFFFFFFL;
        if (behind >= 1L << 31) {
            return; // an older SACK, overtaken
        }
        long sentSpan = (nextTsn - 1 - lastCumulativeAck) & 0xFFFFFFFFL;
        if (behind > sentSpan) {
            throw new SctpException("SACK acknowledges TSN " + cum + ", never sent");
        }
        lastCumulativeAck = cum;
        boolean advanced = false;
        long rttSample = -1;
        long now = System.nanoTime();
        while (!outstanding.isEmpty() && ((cum - outstanding.peek().tsn) & 0xFFFFFFFFL) < 1L << 31) {
            Outgoing o = outstanding.poll();
            if (o.sends == 1) {
                rttSample = now - o.sentNanos; // Karn: only from chunks sent once
            }
            release(o);
            advanced = true;
        }
        int highestGapAcked = 0;
        for (int end : s.gapEnds()) {
            highestGapAcked = Math.max(highestGapAcked, end);
        }
        for (Outgoing o : outstanding) {
            int offset = (int) ((o.tsn - cum) & 0xFFFFFFFFL);
            boolean acked = false;
            for (int g = 0; g < s.gapStarts().length && !acked; g++) {
                acked = offset >= s.gapStarts()[g] && offset <= s.gapEnds()[g];
            }
            if (acked && !o.gapAcked) {
                inFlightBytes -= o.data.readableBytes();
            } else if (!acked && o.gapAcked) {
                inFlightBytes += o.data.readableBytes(); // the peer reneged (§6.2.1): it is ours to send again
            }
            o.gapAcked = acked;
            if (!acked && offset < highestGapAcked && ++o.misses == 3) {
                o.retransmit = true; // fast retransmit (§7.2.4)
            }
        }
        peerWindow = Math.max(0, s.receiveWindow() - inFlightBytes);
        if (advanced) {
            errorCount = 0;
            if (rttSample >= 0) {
                measured(TimeUnit.NANOSECONDS.toMillis(rttSample));
            }
            stopT3(); // restarted for what is still outstanding (§6.3.2 R3)
        }
        owner.flush();
        if (!outstanding.isEmpty()) {
            armT3();
        }
    }

    /** RFC 9260 §6.3.1. */
    private void measured(long rttMillis) {
        if (srttMillis < 0) {
            srttMillis = rttMillis;
            rttvarMillis = rttMillis / 2;
        } else {
            rttvarMillis = (3 * rttvarMillis + Math.abs(srttMillis - rttMillis)) / 4;
            srttMillis = (7 * srttMillis + rttMillis) / 8;
        }
        rtoMillis = Math.min(RTO_MAX_MILLIS, Math.max(RTO_MIN_MILLIS, srttMillis + 4 * rttvarMillis));
    }

    /** Starts the T3 timer unless it runs. */
    void armT3() {
        if (t3 == null) {
            t3 = loop.schedule(this::onT3, rtoMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void onT3() {
        t3 = null;
        if (outstanding.isEmpty()) {
            return;
        }
        if (++errorCount > MAX_RETRANSMISSIONS) {
            owner.abort("SCTP peer acknowledged nothing after " + MAX_RETRANSMISSIONS + " retransmissions");
            return;
        }
        rtoMillis = Math.min(RTO_MAX_MILLIS, rtoMillis * 2);
        for (Outgoing o : outstanding) {
            if (!o.gapAcked) {
                o.retransmit = true;
            }
        }
        owner.flush();
    }

    private void stopT3() {
        if (t3 != null) {
            t3.cancel(false);
            t3 = null;
        }
    }

    /** Writes retransmissions, then new DATA within the window, into {@code packet} while they fit; whether any went. */
    boolean writeDue(ByteBuf packet) {
        boolean sentData = false;
        for (Outgoing o : outstanding) {
            if (o.retransmit && fits(packet, o)) {
                o.retransmit = false;
                o.sends++;
                retransmissions++;
                o.write(packet);
                sentData = true;
            }
        }
        while (!pending.isEmpty() && fits(packet, pending.peek()) && windowAllows(pending.peek())) {
            Outgoing o = pending.poll();
            o.sends = 1;
            o.sentNanos = System.nanoTime();
            inFlightBytes += o.data.readableBytes();
            outstanding.add(o);
            o.write(packet);
            sentData = true;
        }
        return sentData;
    }

    private static boolean fits(ByteBuf packet, Outgoing o) {
        return packet.writerIndex() + Chunk.HEADER_LENGTH + DataChunk.FIXED_LENGTH + o.data.readableBytes() <= MAX_PACKET;
    }

    /** Within the peer's window and our in-flight bound; with nothing in flight one chunk may always go (§6.1 rule A). */
    private boolean windowAllows(Outgoing o) {
        int length = o.data.readableBytes();
        return inFlightBytes == 0 || (inFlightBytes + length <= peerWindow && inFlightBytes + length <= MAX_IN_FLIGHT);
    }

    /** Drops everything queued or unacknowledged (a SHUTDOWN, or the end), and the timer. */
    void dropQueued() {
        for (Iterator<Outgoing> it = pending.iterator(); it.hasNext(); ) {
            release(it.next());
            it.remove();
        }
        for (Iterator<Outgoing> it = outstanding.iterator(); it.hasNext(); ) {
            release(it.next());
            it.remove();
        }
        inFlightBytes = 0;
        stopT3();
    }

    private void release(Outgoing o) {
        int length = o.data.readableBytes();
        queuedBytes -= length;
        if (!o.gapAcked && o.sends > 0) {
            inFlightBytes -= length;
        }
        o.data.release();
    }

    /** A DATA chunk of ours, from queueing to its acknowledgement. */
    private static final class Outgoing {
        final int flags;
        final long tsn;
        final int stream;
        final int ssn;
        final long ppid;
        final ByteBuf data;
        int sends;
        long sentNanos;
        boolean gapAcked;
        boolean retransmit;
        int misses;

        Outgoing(int flags, long tsn, int stream, int ssn, long ppid, ByteBuf data) {
            this.flags = flags;
            this.tsn = tsn;
            this.stream = stream;
            this.ssn = ssn;
            this.ppid = ppid;
            this.data = data;
        }

        void write(ByteBuf packet) {
            DataChunk.write(packet, flags, tsn, stream, ssn, ppid, data, data.readerIndex(), data.readableBytes());
        }
    }
}
