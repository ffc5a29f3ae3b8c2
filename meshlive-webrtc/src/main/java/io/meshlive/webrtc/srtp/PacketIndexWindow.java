package io.meshlive.webrtc.srtp;

/**
 * What one SSRC's packets have shown so far: the highest packet index, and which of the
 * {@value #SIZE} indices below it were seen (RFC 3711 §3.3.2). For RTP it also guesses the full
 * 48-bit index of a new packet from its 16-bit sequence number (§3.3.1).
 */
final class PacketIndexWindow {
    static final int SIZE = 64;
    private static final int SEQ_HALF = 0x8000;

    private long highest = -1;
    /** Bit i set: index highest - i was seen. */
    private long seen;

    /**
     * The index of the packet with this sequence number: the one, among the current ROC and its
     * neighbours, closest to the highest index seen. Negative when it would precede the stream.
     */
    long estimateRtpIndex(int seq) {
        if (highest < 0) {
            return seq; // the first packet sets s_l; the ROC starts at 0
        }
        long roc = highest >>> 16;
        int last = (int) (highest & 0xFFFF);
        long guess = roc;
        if (last < SEQ_HALF) {
            if (seq - last > SEQ_HALF) {
                guess = roc - 1;
            }
        } else if (last - SEQ_HALF > seq) {
            guess = roc + 1;
        }
        return guess < 0 ? -1 : guess << 16 | seq;
    }

    long highest() {
        return highest;
    }

    /** Older than the window covers (or before the stream began), so it can no longer be told from a replay. */
    boolean isTooOld(long index) {
        return index < 0 || highest - index >= SIZE;
    }

    /** Within the window and already recorded. */
    boolean wasSeen(long index) {
        long age = highest - index;
        return age >= 0 && age < SIZE && (seen & 1L << age) != 0;
    }

    /** Records an authenticated packet; a higher index slides the window up. */
    void record(long index) {
        if (index > highest) {
            long shift = index - highest;
            seen = shift >= SIZE ? 1 : seen << shift | 1;
            highest = index;
        } else {
            seen |= 1L << (highest - index);
        }
    }
}
