package io.meshlive.webrtc.sctp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The passive end of one SCTP association (RFC 9260) over a DTLS association (RFC 8261): we never
 * send INIT; the browser does, and we answer statelessly with a signed state cookie, so an INIT
 * costs nothing until the COOKIE-ECHO comes back.
 *
 * <p>Receiving: DATA is taken in TSN order, with up to {@link #AHEAD} chunks held beyond a gap
 * (reported in gap ack blocks); fragments are reassembled up to {@link #MAX_MESSAGE} bytes; every
 * packet with DATA is acknowledged at once (WebRTC peers send us little). Messages come out in TSN
 * order, which keeps each stream's order without per-stream queues.
 *
 * <p>Sending: messages are fragmented to fit one DTLS record, queued (at most {@link #MAX_QUEUED}
 * bytes), sent within the peer's window and {@link #MAX_IN_FLIGHT}, and retransmitted on the T3
 * timer (RFC 9260 §6.3 RTO) or after three SACKs that miss them (fast retransmit). We carry small
 * timed messages, not bulk data, so there is no slow start: the in-flight bound stands in for a
 * congestion window.
 *
 * <p>Not supported (not offered in our INIT-ACK, so the peer must not use them): partial
 * reliability (FORWARD-TSN), stream reconfiguration, I-DATA. Every call runs on {@code loop}; a
 * protocol error ends this association only (ABORT), telling the listener why.
 */
public final class SctpAssociation {
    /** The largest SCTP packet we send: one DTLS record inside a 1200-byte datagram (AES-GCM or CBC overhead). */
    static final int MAX_PACKET = 1120;
    static final int MAX_FRAGMENT = MAX_PACKET - SctpPacket.HEADER_LENGTH - Chunk.HEADER_LENGTH - DataChunk.FIXED_LENGTH;
    /** What we advertise (a=max-message-size) and reassemble at most. */
    public static final int MAX_MESSAGE = 65536;
    static final int RECEIVE_WINDOW = 131072;
    static final int AHEAD = 32;
    static final int MAX_QUEUED = 262144;
    static final int MAX_IN_FLIGHT = 65536;
    static final int STREAMS = 1024;
    static final long COOKIE_LIFETIME_MILLIS = 60_000;
    static final long RTO_INITIAL_MILLIS = 1000;
    /** Above the browser's delayed-SACK timer (200 ms in Chromium's dcsctp), so a quiet link is not resent. */
    static final long RTO_MIN_MILLIS = 500;
    static final long RTO_MAX_MILLIS = 10_000;
    static final int MAX_RETRANSMISSIONS = 10;
    private static final int ERROR_UNRECOGNIZED_CHUNK = 6;
    private static final RandomGenerator RANDOM = new SecureRandom();

    /** What the association hands up. Called on the loop. */
    public interface Listener {
        /** A whole user message; takes ownership of {@code message}. */
        void onMessage(int stream, long ppid, boolean unordered, ByteBuf message);

        /** The association ended (the peer's ABORT or SHUTDOWN, a protocol error, or {@link #abort}); once. */
        void onClosed(String reason);
    }

    private enum State { CLOSED, ESTABLISHED, SHUTDOWN_ACK_SENT, ENDED }

    private final ScheduledExecutorService loop;
    private final ByteBufAllocator alloc;
    private final byte[] secret;
    private final Consumer<ByteBuf> out;
    private final Listener listener;
    private final RandomGenerator random;

    private State state = State.CLOSED;
    /** What we answered the last INIT with: its initiate tag, and our tag and first TSN. */
    private long answeredInitTag = -1;
    private long answerTag;
    private long answerTsn;
    private int localPort;
    private int peerPort;
    private long localTag;
    private long peerTag;
    private int outboundStreams;

    // Receiving.
    private long cumulativeTsn;
    private final DataChunk[] ahead = new DataChunk[AHEAD];
    private int aheadBytes;
    private CompositeByteBuf assembling;
    private int assemblingStream;
    private boolean sackDue;
    private final int[] gapStarts = new int[AHEAD];
    private final int[] gapEnds = new int[AHEAD];

    // Sending.
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

    /**
     * @param secret signs our state cookies (the server's, shared by its associations)
     * @param out    sends one SCTP packet as DTLS application data; takes ownership
     */
    public SctpAssociation(ScheduledExecutorService loop, ByteBufAllocator alloc, byte[] secret, Consumer<ByteBuf> out,
                           Listener listener) {
        this(loop, alloc, secret, out, listener, RANDOM);
    }

    SctpAssociation(ScheduledExecutorService loop, ByteBufAllocator alloc, byte[] secret, Consumer<ByteBuf> out,
                    Listener listener, RandomGenerator random) {
        this.loop = loop;
        this.alloc = alloc;
        this.secret = secret.clone();
        this.out = out;
        this.listener = listener;
        this.random = random;
    }

    public boolean established() {
        return state == State.ESTABLISHED;
    }

    public boolean ended() {
        return state == State.ENDED;
    }

    /** Our retransmissions so far (T3 and fast), for the viewer's figures. */
    public long retransmissions() {
        return retransmissions;
    }

    /** One packet from the peer (DTLS application data); takes ownership. */
    public void receive(ByteBuf packet) {
        try {
            if (state != State.ENDED) {
                handle(SctpPacket.parse(packet));
            }
        } catch (SctpException e) {
            abort("SCTP: " + e.getMessage());
        } finally {
            packet.release();
        }
    }

    private void handle(SctpPacket p) throws SctpException {
        Chunk first = p.chunks().get(0);
        if (first.type() == Chunk.INIT) {
            if (p.chunks().size() != 1 || p.verificationTag() != 0) {
                throw new SctpException("INIT bundled with other chunks or with a verification tag");
            }
            answerInit(p, InitChunk.parse(first));
            return;
        }
        if (first.type() == Chunk.COOKIE_ECHO) {
            cookieEcho(p, first);
        } else if (state == State.CLOSED) {
            return; // out of the blue (RFC 9260 §8.4): nothing to answer it with
        } else if (!tagMatches(p, first)) {
            return; // §8.5: not for this association, silently discarded
        }
        for (Chunk c : p.chunks()) {
            if (state == State.ENDED) {
                return;
            }
            if (c == first && c.type() == Chunk.COOKIE_ECHO) {
                continue;
            }
            if (!chunk(c)) {
                break;
            }
        }
        if (sackDue && state == State.ESTABLISHED) {
            flush();
        }
    }

    private boolean tagMatches(SctpPacket p, Chunk first) {
        boolean reflected = (first.type() == Chunk.ABORT || first.type() == Chunk.SHUTDOWN_COMPLETE)
                && (first.flags() & Chunk.FLAG_T) != 0;
        return p.verificationTag() == (reflected ? peerTag : localTag);
    }

    /** Handles one chunk of an association's packet; false to stop reading the packet. */
    private boolean chunk(Chunk c) throws SctpException {
        switch (c.type()) {
            case Chunk.DATA -> {
                if (state == State.ESTABLISHED) {
                    data(DataChunk.parse(c));
                }
            }
            case Chunk.SACK -> {
                if (state == State.ESTABLISHED) {
                    sack(SackChunk.parse(c));
                }
            }
            case Chunk.HEARTBEAT -> sendChunk(Chunk.HEARTBEAT_ACK, 0, c.value());
            case Chunk.HEARTBEAT_ACK, Chunk.ERROR, Chunk.COOKIE_ACK -> {
                // We send no heartbeat (ICE consent watches the path) and nothing an ERROR could be about.
            }
            case Chunk.ABORT -> {
                end("peer aborted the SCTP association");
                return false;
            }
            case Chunk.SHUTDOWN -> {
                dropQueued();
                state = State.SHUTDOWN_ACK_SENT;
                sendChunk(Chunk.SHUTDOWN_ACK, 0, null);
            }
            case Chunk.SHUTDOWN_COMPLETE -> {
                if (state == State.SHUTDOWN_ACK_SENT) {
                    end("peer shut the SCTP association down");
                    return false;
                }
            }
            case Chunk.INIT, Chunk.COOKIE_ECHO -> throw new SctpException(Chunk.name(c.type()) + " not first in its packet");
            default -> {
                if (Chunk.reportUnknown(c.type())) {
                    reportUnrecognized(c);
                }
                return !Chunk.stopOnUnknown(c.type());
            }
        }
        return true;
    }

    // ---- Setting up (RFC 9260 §5.1).

    private void answerInit(SctpPacket p, InitChunk init) {
        // In an established association a new INIT is the peer restarting; its COOKIE-ECHO will say so (§5.2.2).
        // Before, a retransmitted INIT (same initiate tag) gets the same tag and TSN: whichever INIT-ACK the
        // peer takes, its cookie establishes the same association.
        if (state == State.CLOSED && init.initiateTag() != answeredInitTag) {
            answeredInitTag = init.initiateTag();
            answerTag = nonZero();
            answerTsn = random.nextInt() & 0xFFFFFFFFL;
        }
        long tag = state == State.CLOSED ? answerTag : localTag;
        long tsn = state == State.CLOSED ? answerTsn : nextTsn;
        StateCookie cookie = new StateCookie(System.currentTimeMillis(), init.initiateTag(), init.receiveWindow(),
                init.initialTsn(), tag, tsn, Math.min(STREAMS, init.inboundStreams()),
                Math.min(STREAMS, init.outboundStreams()));
        byte[] signed = cookie.sign(secret);
        ByteBuf packet = SctpPacket.begin(alloc, 64 + signed.length, p.destinationPort(), p.sourcePort(),
                init.initiateTag());
        InitChunk.writeInitAck(packet, tag, RECEIVE_WINDOW, cookie.outboundStreams(), cookie.inboundStreams(), tsn, signed);
        out.accept(SctpPacket.finish(packet));
    }

    private void cookieEcho(SctpPacket p, Chunk c) throws SctpException {
        StateCookie cookie = StateCookie.verify(secret, c.value(), System.currentTimeMillis(), COOKIE_LIFETIME_MILLIS);
        if (p.verificationTag() != cookie.localTag()) {
            throw new SctpException("COOKIE-ECHO's verification tag is not the cookie's");
        }
        if (state == State.CLOSED) {
            state = State.ESTABLISHED;
            localPort = p.destinationPort();
            peerPort = p.sourcePort();
            localTag = cookie.localTag();
            peerTag = cookie.peerTag();
            outboundStreams = cookie.outboundStreams();
            nextSsn = new char[outboundStreams];
            cumulativeTsn = (cookie.peerInitialTsn() - 1) & 0xFFFFFFFFL;
            nextTsn = cookie.localInitialTsn();
            lastCumulativeAck = (nextTsn - 1) & 0xFFFFFFFFL;
            peerWindow = cookie.peerWindow();
        } else if (cookie.localTag() != localTag || cookie.peerTag() != peerTag) {
            throw new SctpException("peer restarted the association; a data channel must be opened anew");
        }
        sendChunk(Chunk.COOKIE_ACK, 0, null);
    }

    private long nonZero() {
        long tag;
        do {
            tag = random.nextInt() & 0xFFFFFFFFL;
        } while (tag == 0);
        return tag;
    }

    // ---- Receiving (§6.2, §6.9).

    private void data(DataChunk d) throws SctpException {
        sackDue = true;
        long delta = (d.tsn() - cumulativeTsn) & 0xFFFFFFFFL;
        if (delta == 0 || delta >= 1L << 31) {
            return; // a duplicate: acknowledged again by the SACK below
        }
        if (delta == 1) {
            cumulativeTsn = d.tsn();
            accept(d);
            DataChunk next;
            while ((next = ahead[(int) ((cumulativeTsn + 1) % AHEAD)]) != null && next.tsn() == ((cumulativeTsn + 1) & 0xFFFFFFFFL)) {
                ahead[(int) (next.tsn() % AHEAD)] = null;
                aheadBytes -= next.data().readableBytes();
                cumulativeTsn = next.tsn();
                try {
                    accept(next);
                } finally {
                    next.data().release();
                }
            }
            return;
        }
        int slot = (int) (d.tsn() % AHEAD);
        int length = d.data().readableBytes();
        if (delta > AHEAD || ahead[slot] != null || aheadBytes + length > RECEIVE_WINDOW - MAX_MESSAGE) {
            return; // beyond what we hold, or held already: the peer sends it again
        }
        ahead[slot] = new DataChunk(d.flags(), d.tsn(), d.stream(), d.ssn(), d.ppid(), d.data().retainedSlice());
        aheadBytes += length;
    }

    /** The next chunk in TSN order: a whole message, or a fragment of the one being reassembled. */
    private void accept(DataChunk d) throws SctpException {
        if (d.begins() != (assembling == null)) {
            throw new SctpException(d.begins() ? "a message began before the last one ended"
                    : "a fragment without its message's first");
        }
        if (d.begins() && d.ends()) {
            listener.onMessage(d.stream(), d.ppid(), d.unordered(), d.data().retainedSlice());
            return;
        }
        if (d.begins()) {
            assembling = alloc.compositeBuffer(MAX_MESSAGE / MAX_FRAGMENT + 2);
            assemblingStream = d.stream();
        } else if (d.stream() != assemblingStream) {
            throw new SctpException("fragment for stream " + d.stream() + " inside a message on stream " + assemblingStream);
        }
        if (assembling.readableBytes() + d.data().readableBytes() > MAX_MESSAGE) {
            throw new SctpException("message longer than " + MAX_MESSAGE + " bytes (our a=max-message-size)");
        }
        assembling.addComponent(true, d.data().retainedSlice());
        if (d.ends()) {
            CompositeByteBuf message = assembling;
            assembling = null;
            listener.onMessage(d.stream(), d.ppid(), d.unordered(), message);
        }
    }

    /** The receive window left: what we advertise, less what we hold. */
    private long window() {
        return Math.max(0, RECEIVE_WINDOW - aheadBytes - (assembling == null ? 0 : assembling.readableBytes()));
    }

    private void writeSack(ByteBuf packet) {
        int gaps = 0;
        boolean inGap = false;
        for (int offset = 2; offset <= AHEAD; offset++) {
            long tsn = (cumulativeTsn + offset) & 0xFFFFFFFFL;
            DataChunk held = ahead[(int) (tsn % AHEAD)];
            boolean present = held != null && held.tsn() == tsn;
            if (present && !inGap) {
                gapStarts[gaps] = offset;
                inGap = true;
            } else if (!present && inGap) {
                gapEnds[gaps++] = offset - 1;
                inGap = false;
            }
        }
        if (inGap) {
            gapEnds[gaps++] = AHEAD;
        }
        SackChunk.write(packet, cumulativeTsn, window(), gapStarts, gapEnds, gaps);
        sackDue = false;
    }

    // ---- Sending (§6.1, §6.3, §7.2.4).

    /**
     * Queues a message for the peer, fragmented to fit our packets; takes ownership.
     *
     * @return false when it was not queued: not established, a stream beyond those agreed, or the
     * queue full (the peer is not acknowledging)
     */
    public boolean send(int stream, long ppid, boolean unordered, ByteBuf message) {
        int length = message.readableBytes();
        if (state != State.ESTABLISHED || stream >= outboundStreams || length == 0 || queuedBytes + length > MAX_QUEUED) {
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
        flush();
        return true;
    }

    private void sack(SackChunk s) throws SctpException {
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
        flush();
        if (!outstanding.isEmpty() && t3 == null) {
            t3 = loop.schedule(this::onT3, rtoMillis, TimeUnit.MILLISECONDS);
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

    private void onT3() {
        t3 = null;
        if (state != State.ESTABLISHED || outstanding.isEmpty()) {
            return;
        }
        if (++errorCount > MAX_RETRANSMISSIONS) {
            abort("SCTP peer acknowledged nothing after " + MAX_RETRANSMISSIONS + " retransmissions");
            return;
        }
        rtoMillis = Math.min(RTO_MAX_MILLIS, rtoMillis * 2);
        for (Outgoing o : outstanding) {
            if (!o.gapAcked) {
                o.retransmit = true;
            }
        }
        flush();
    }

    private void stopT3() {
        if (t3 != null) {
            t3.cancel(false);
            t3 = null;
        }
    }

    /** Sends what is due: a SACK, retransmissions, then new DATA within the window, bundled up to {@link #MAX_PACKET}. */
    private void flush() {
        while (state == State.ESTABLISHED) {
            ByteBuf packet = SctpPacket.begin(alloc, MAX_PACKET, localPort, peerPort, peerTag);
            if (sackDue) {
                writeSack(packet);
            }
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
            if (packet.writerIndex() == SctpPacket.HEADER_LENGTH) {
                packet.release();
                return;
            }
            out.accept(SctpPacket.finish(packet));
            if (sentData && t3 == null) {
                t3 = loop.schedule(this::onT3, rtoMillis, TimeUnit.MILLISECONDS);
            }
            if (!sentData) {
                return;
            }
        }
    }

    private static boolean fits(ByteBuf packet, Outgoing o) {
        return packet.writerIndex() + Chunk.HEADER_LENGTH + DataChunk.FIXED_LENGTH + o.data.readableBytes() <= MAX_PACKET;
    }

    /** Within the peer's window and our in-flight bound; with nothing in flight one chunk may always go (§6.1 rule A). */
    private boolean windowAllows(Outgoing o) {
        int length = o.data.readableBytes();
        return inFlightBytes == 0 || (inFlightBytes + length <= peerWindow && inFlightBytes + length <= MAX_IN_FLIGHT);
    }

    private void sendChunk(int type, int flags, ByteBuf value) {
        int length = value == null ? 0 : value.readableBytes();
        ByteBuf packet = SctpPacket.begin(alloc, SctpPacket.HEADER_LENGTH + Chunk.HEADER_LENGTH + length + 3,
                localPort, peerPort, peerTag);
        if (value == null) {
            Chunk.writeEmpty(packet, type, flags);
        } else {
            Chunk.write(packet, type, flags, value, value.readerIndex(), length);
        }
        out.accept(SctpPacket.finish(packet));
    }

    /** An ERROR with an Unrecognized Chunk Type cause (§3.3.10.6) quoting the chunk. */
    private void reportUnrecognized(Chunk c) {
        int chunkLength = Chunk.HEADER_LENGTH + c.value().readableBytes();
        if (chunkLength + 4 + Chunk.HEADER_LENGTH + SctpPacket.HEADER_LENGTH > MAX_PACKET) {
            return;
        }
        ByteBuf cause = alloc.buffer(4 + chunkLength);
        try {
            cause.writeShort(ERROR_UNRECOGNIZED_CHUNK);
            cause.writeShort(4 + chunkLength);
            Chunk.write(cause, c.type(), c.flags(), c.value(), c.value().readerIndex(), c.value().readableBytes());
            cause.writerIndex(4 + chunkLength);
            sendChunk(Chunk.ERROR, 0, cause);
        } finally {
            cause.release();
        }
    }

    // ---- Ending.

    /** Ends the association with an ABORT to the peer, unless it has ended already. */
    public void abort(String reason) {
        if (state == State.ENDED) {
            return;
        }
        if (state != State.CLOSED) {
            sendChunk(Chunk.ABORT, 0, null);
        }
        end(reason);
    }

    private void end(String reason) {
        state = State.ENDED;
        stopT3();
        dropQueued();
        for (int i = 0; i < AHEAD; i++) {
            if (ahead[i] != null) {
                ahead[i].data().release();
                ahead[i] = null;
            }
        }
        aheadBytes = 0;
        if (assembling != null) {
            assembling.release();
            assembling = null;
        }
        listener.onClosed(reason);
    }

    private void dropQueued() {
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
