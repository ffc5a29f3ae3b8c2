package io.meshlive.bench.play;

/**
 * Packets lost on one RTP stream, as RFC 3550 §6.4.1 counts them: expected (from the first to
 * the highest extended sequence number) minus received, so a late packet is not lost twice and
 * a duplicate is not counted as a gain beyond what it hides.
 */
final class RtpLoss {
    private long ssrc = -1;
    private long firstSequence;
    private long highestSequence;
    private long received;
    /** Losses of the streams before an SSRC change. */
    private long lostBefore;

    /** One packet, as it arrived; {@code sequence} is its 16-bit sequence number. */
    void onPacket(long ssrc, int sequence) {
        if (ssrc != this.ssrc) {
            lostBefore = lost();
            this.ssrc = ssrc;
            firstSequence = sequence;
            highestSequence = sequence;
            received = 1;
            return;
        }
        received++;
        // The nearest extension of the 16-bit number to the highest so far (RFC 3550 A.1's idea).
        long extended = highestSequence + (short) (sequence - (int) highestSequence);
        if (extended > highestSequence) {
            highestSequence = extended;
        }
    }

    long lost() {
        return lostBefore + (ssrc < 0 ? 0 : Math.max(0, highestSequence - firstSequence + 1 - received));
    }
}
