package io.meshlive.webrtc.sctp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.security.SecureRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The passive end of one SCTP association (RFC 9260) over a DTLS association (RFC 8261): we never
 * send INIT; the browser does, and we answer statelessly with a signed state cookie, so an INIT
 * costs nothing until the COOKIE-ECHO comes back.
 *
 * <p>Receiving ({@link SctpReceiver}): DATA is taken in TSN order, with up to {@link #AHEAD} chunks held beyond a gap
 * (reported in gap ack blocks); fragments are reassembled up to {@link #MAX_MESSAGE} bytes; every
 * packet with DATA is acknowledged at once (WebRTC peers send us little). Messages come out in TSN
 * order, which keeps each stream's order without per-stream queues.
 *
 * <p>Sending ({@link SctpSender}): messages are fragmented to fit one DTLS record, queued (at most {@link #MAX_QUEUED}
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

    private final SctpReceiver receiver;
    private final SctpSender sender;

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
        this.receiver = new SctpReceiver(alloc, listener);
        this.sender = new SctpSender(loop, new SctpSender.Owner() {
            @Override
            public void flush() {
                SctpAssociation.this.flush();
            }

            @Override
            public void abort(String reason) {
                SctpAssociation.this.abort(reason);
            }
        });
    }

    public boolean established() {
        return state == State.ESTABLISHED;
    }

    public boolean ended() {
        return state == State.ENDED;
    }

    /** Our retransmissions so far (T3 and fast), for the viewer's figures. */
    public long retransmissions() {
        return sender.retransmissions();
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
        if (receiver.sackDue() && state == State.ESTABLISHED) {
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
                    receiver.data(DataChunk.parse(c));
                }
            }
            case Chunk.SACK -> {
                if (state == State.ESTABLISHED) {
                    sender.sack(SackChunk.parse(c));
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
                sender.dropQueued();
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
        long tsn = state == State.CLOSED ? answerTsn : sender.nextTsn();
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
            receiver.start(cookie.peerInitialTsn());
            sender.start(cookie.localInitialTsn(), cookie.peerWindow(), outboundStreams);
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

    // ---- Sending (§6.1, §6.3, §7.2.4).

    /**
     * Queues a message for the peer, fragmented to fit our packets; takes ownership.
     *
     * @return false when it was not queued: not established, a stream beyond those agreed, or the
     * queue full (the peer is not acknowledging)
     */
    public boolean send(int stream, long ppid, boolean unordered, ByteBuf message) {
        if (state != State.ESTABLISHED || stream >= outboundStreams || !message.isReadable()) {
            message.release();
            return false;
        }
        return sender.queue(stream, ppid, unordered, message);
    }

    /** Sends what is due: a SACK, retransmissions, then new DATA within the window, bundled up to {@link #MAX_PACKET}. */
    private void flush() {
        while (state == State.ESTABLISHED) {
            ByteBuf packet = SctpPacket.begin(alloc, MAX_PACKET, localPort, peerPort, peerTag);
            if (receiver.sackDue()) {
                receiver.writeSack(packet);
            }
            boolean sentData = sender.writeDue(packet);
            if (packet.writerIndex() == SctpPacket.HEADER_LENGTH) {
                packet.release();
                return;
            }
            out.accept(SctpPacket.finish(packet));
            if (!sentData) {
                return;
            }
            sender.armT3();
        }
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
        sender.dropQueued();
        receiver.release();
        listener.onClosed(reason);
    }
}
