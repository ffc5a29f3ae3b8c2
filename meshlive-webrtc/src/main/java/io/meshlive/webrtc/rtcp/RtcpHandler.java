package io.meshlive.webrtc.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * What {@link RtcpParser} found in a compound packet, one call per item, in packet order. Every
 * method does nothing by default, so a handler implements only what it uses. SSRCs and 32-bit
 * fields are unsigned, in longs.
 */
public interface RtcpHandler {
    /** A sender report's sender info (RFC 3550 §6.4.1); its report blocks follow as {@link #onReportBlock}. */
    default void onSenderReport(long ssrc, long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount) {
    }

    /**
     * One report block of an SR or RR from {@code reporterSsrc} about {@code sourceSsrc}.
     * {@code cumulativeLost} is signed (duplicates can make it negative); {@code lastSr} is the
     * middle 32 bits of the NTP time of the last SR received and {@code delaySinceLastSr} is in
     * 1/65536 s.
     */
    default void onReportBlock(long reporterSsrc, long sourceSsrc, int fractionLost, int cumulativeLost,
                               long extendedHighestSeq, long jitter, long lastSr, long delaySinceLastSr) {
    }

    /** One lost RTP sequence number of a generic NACK; each PID and BLP bit gives one call. */
    default void onNack(long senderSsrc, long mediaSsrc, int lostSequence) {
    }

    default void onPli(long senderSsrc, long mediaSsrc) {
    }

    /** One FIR entry: {@code mediaSsrc} is the entry's SSRC (the header's media SSRC is unused in a FIR). */
    default void onFir(long senderSsrc, long mediaSsrc, int commandSequence) {
    }

    /** A REMB: the receiver's estimate in bits per second for the streams {@code ssrcs}. */
    default void onRemb(long senderSsrc, long bitrateBps, long[] ssrcs) {
    }

    /**
     * A transport-wide congestion control feedback: {@code fci} is a slice of the datagram from
     * the base sequence number to the end of the packet, padding excluded. It is not retained:
     * read it during the call, or retain it.
     */
    default void onTransportFeedback(long senderSsrc, long mediaSsrc, ByteBuf fci) {
    }

    /** One SSRC of a BYE. */
    default void onBye(long ssrc) {
    }
}
