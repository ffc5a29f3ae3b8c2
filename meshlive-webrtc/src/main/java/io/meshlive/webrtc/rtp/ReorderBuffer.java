package io.meshlive.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Puts the packets of one SSRC back in 16-bit sequence-number order (wrapping at 65535) and
 * releases them as soon as they are in order; tells which sequence numbers are missing, for NACK.
 * A missing packet is given up when the packets held after it fill the window, or when the first
 * of them has waited {@code maxWaitNanos}; the packet released after it is flagged with a gap.
 *
 * <p>Sequence numbers are extended to ints relative to the next one due, so wrap-around needs no
 * special case. One per SSRC, on one thread. No allocation after construction.
 */
public final class ReorderBuffer {
    /** NACK a sequence number at most this often; after that a retransmission is not coming. */
    static final int MAX_NACKS = 10;
    private static final int SEQUENCE_RANGE = 1 << 16;

    private final ByteBuf[] slots;
    private final long[] arrivals;
    private final byte[] nacks;
    private final int mask;
    private final long maxWaitNanos;

    private boolean started;
    /** Extended sequence number of the next packet due; every held packet is in [next, next + capacity). */
    private int next;
    /** One past the highest extended sequence number held. */
    private int end;
    private int held;
    private boolean gapPending;
    private long duplicates;
    private long late;
    private long lost;

    /**
     * @param capacity     packets the window spans, a power of two (e.g. 512)
     * @param maxWaitNanos how long a later packet waits for a missing one before that is given up
     */
    public ReorderBuffer(int capacity, long maxWaitNanos) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1 || capacity > SEQUENCE_RANGE / 2) {
            throw new IllegalArgumentException("reorder capacity " + capacity + " is not a power of two in 2..32768");
        }
        this.slots = new ByteBuf[capacity];
        this.arrivals = new long[capacity];
        this.nacks = new byte[capacity];
        this.mask = capacity - 1;
        this.maxWaitNanos = maxWaitNanos;
    }

    /**
     * Takes {@code packet} (ownership passes) and releases to {@code sink} whatever is now in order.
     * Duplicates, packets older than the next one due and packets too short to be RTP are released and counted.
     */
    public void add(ByteBuf packet, long nowNanos, OrderedSink sink) {
        if (packet.readableBytes() < RtpHeader.FIXED_LENGTH) {
            packet.release();
            late++;
            return;
        }
        int sequence = RtpHeader.sequence(packet);
        if (!started) {
            started = true;
            next = SEQUENCE_RANGE + sequence; // positive, and away from zero
            end = next;
        }
        int ext = next + (short) (sequence - next);
        if (ext < next) {
            if (next - ext < slots.length) {
                packet.release();
                late++;
                return;
            }
            // Far behind: the sender restarted its numbering. Hand over what is held and follow it.
            skipTo(end, sink);
            next = ext;
            end = ext;
            gapPending = true;
        } else if (ext - next >= slots.length) {
            // Beyond the window: what is missing before it will not come back in time to matter; give it all up.
            skipTo(ext, sink);
        }
        int slot = ext & mask;
        if (slots[slot] != null) {
            packet.release();
            duplicates++;
            return;
        }
        slots[slot] = packet;
        arrivals[slot] = nowNanos;
        nacks[slot] = 0;
        held++;
        end = Math.max(end, ext + 1);
        drain(sink);
        flushExpired(nowNanos, sink);
    }

    /** Gives up missing packets whose successors have waited too long, releasing what follows them. */
    public void flushExpired(long nowNanos, OrderedSink sink) {
        while (held > 0) {
            int first = next;
            while (slots[first & mask] == null) {
                first++;
            }
            if (nowNanos - arrivals[first & mask] < maxWaitNanos) {
                return;
            }
            skipTo(first, sink);
            drain(sink);
        }
    }

    /**
     * Writes the missing sequence numbers (16-bit) into {@code out}, oldest first, counting a NACK
     * for each; leaves out those NACKed {@link #MAX_NACKS} times already. Returns how many it wrote.
     */
    public int missing(int[] out) {
        int count = 0;
        for (int ext = next; ext < end && count < out.length; ext++) {
            int slot = ext & mask;
            if (slots[slot] == null && nacks[slot] < MAX_NACKS) {
                nacks[slot]++;
                out[count++] = ext & 0xFFFF;
            }
        }
        return count;
    }

    /** Packets taken twice. */
    public long duplicates() {
        return duplicates;
    }

    /** Packets that came after their turn had passed (or were too short to be RTP). */
    public long late() {
        return late;
    }

    /** Sequence numbers given up as lost. */
    public long lost() {
        return lost;
    }

    /** Releases the packets held. */
    public void close() {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                slots[i].release();
                slots[i] = null;
            }
        }
        held = 0;
        next = end;
    }

    private void drain(OrderedSink sink) {
        ByteBuf packet;
        while ((packet = slots[next & mask]) != null) {
            slots[next & mask] = null;
            held--;
            next++;
            boolean gap = gapPending;
            gapPending = false;
            sink.inOrder(packet, gap);
        }
    }

    /** Moves the next one due to {@code target}, handing over held packets on the way and giving up the rest. */
    private void skipTo(int target, OrderedSink sink) {
        int stop = Math.min(target, end);
        while (next < stop) {
            ByteBuf packet = slots[next & mask];
            slots[next & mask] = null;
            nacks[next & mask] = 0;
            next++;
            if (packet == null) {
                lost++;
                gapPending = true;
            } else {
                held--;
                boolean gap = gapPending;
                gapPending = false;
                sink.inOrder(packet, gap);
            }
        }
        if (next < target) {
            lost += target - next;
            gapPending = true;
            next = target;
        }
        end = Math.max(end, next);
    }
}
