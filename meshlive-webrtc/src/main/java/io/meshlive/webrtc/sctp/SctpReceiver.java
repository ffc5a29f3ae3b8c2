package io.meshlive.webrtc.sctp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

import static io.meshlive.webrtc.sctp.SctpAssociation.AHEAD;
import static io.meshlive.webrtc.sctp.SctpAssociation.MAX_FRAGMENT;
import static io.meshlive.webrtc.sctp.SctpAssociation.MAX_MESSAGE;
import static io.meshlive.webrtc.sctp.SctpAssociation.RECEIVE_WINDOW;

/**
 * The receiving half of an association (RFC 9260 §6.2, §6.9): DATA is taken in TSN order, with up
 * to {@link SctpAssociation#AHEAD} chunks held beyond a gap (reported in gap ack blocks);
 * fragments are reassembled up to {@link SctpAssociation#MAX_MESSAGE} bytes. Messages come out in
 * TSN order, which keeps each stream's order without per-stream queues. Loop-confined.
 */
final class SctpReceiver {
    private final ByteBufAllocator alloc;
    private final SctpAssociation.Listener listener;
    private long cumulativeTsn;
    private final DataChunk[] ahead = new DataChunk[AHEAD];
    private int aheadBytes;
    private CompositeByteBuf assembling;
    private int assemblingStream;
    private boolean sackDue;
    private final int[] gapStarts = new int[AHEAD];
    private final int[] gapEnds = new int[AHEAD];

    SctpReceiver(ByteBufAllocator alloc, SctpAssociation.Listener listener) {
        this.alloc = alloc;
        this.listener = listener;
    }

    /** The association is established: the peer's first DATA has {@code peerInitialTsn}. */
    void start(long peerInitialTsn) {
        cumulativeTsn = (peerInitialTsn - 1) & 0xFFFFFFFFL;
    }

    void data(DataChunk d) throws SctpException {
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

    /** DATA arrived since the last SACK: every packet with DATA is acknowledged at once (WebRTC peers send us little). */
    boolean sackDue() {
        return sackDue;
    }

    /** The receive window left: what we advertise, less what we hold. */
    private long window() {
        return Math.max(0, RECEIVE_WINDOW - aheadBytes - (assembling == null ? 0 : assembling.readableBytes()));
    }

    void writeSack(ByteBuf packet) {
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

    /** The association ended: releases what is held. */
    void release() {
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
    }
}
