package io.meshlive.webrtc.rtcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import static io.meshlive.webrtc.rtcp.RtcpPacketTypes.*;

/**
 * Appends RTCP packets to a buffer, one packet a call, so a compound packet is a sequence of
 * calls on one buffer (RFC 3550 §6.1: an SR or RR first, then SDES with the CNAME, then
 * feedback; or feedback alone with reduced-size RTCP, RFC 5506). SSRCs and 32-bit fields are
 * unsigned, in longs; only their low 32 bits are written.
 */
public final class RtcpWriter {
    private RtcpWriter() {
    }

    /** A sender report (RFC 3550 §6.4.1) without report blocks. */
    public static void senderReport(ByteBuf out, long ssrc, long ntpTimestamp, long rtpTimestamp, long packetCount,
                                    long octetCount) {
        header(out, 0, SR, 6);
        out.writeInt((int) ssrc);
        out.writeLong(ntpTimestamp);
        out.writeInt((int) rtpTimestamp);
        out.writeInt((int) packetCount);
        out.writeInt((int) octetCount);
    }

    /**
     * A receiver report (RFC 3550 §6.4.2) with one report block about {@code sourceSsrc}, or none
     * when {@code sourceSsrc} is 0 (the form sent before any media has arrived).
     * {@code cumulativeLost} is clamped to its signed 24 bits.
     */
    public static void receiverReport(ByteBuf out, long ssrc, long sourceSsrc, int fractionLost, int cumulativeLost,
                                      long extendedHighestSeq, long jitter, long lastSr, long delaySinceLastSr) {
        if (sourceSsrc == 0) {
            header(out, 0, RR, 1);
            out.writeInt((int) ssrc);
            return;
        }
        if (fractionLost < 0 || fractionLost > 255) {
            throw new IllegalArgumentException("fraction lost is 0 to 255: " + fractionLost);
        }
        header(out, 1, RR, 7);
        out.writeInt((int) ssrc);
        out.writeInt((int) sourceSsrc);
        int lost = Math.max(-0x800000, Math.min(0x7FFFFF, cumulativeLost));
        out.writeInt(fractionLost << 24 | lost & 0xFFFFFF);
        out.writeInt((int) extendedHighestSeq);
        out.writeInt((int) jitter);
        out.writeInt((int) lastSr);
        out.writeInt((int) delaySinceLastSr);
    }

    /**
     * A generic NACK (RFC 4585 §6.2.1) for the first {@code count} of {@code lostSequences}, each
     * packed into the PID/BLP pair of the closest lower PID within 16. Sequences given in order
     * (wrapping past 65535 included) pack tightest; any order is correct.
     */
    public static void nack(ByteBuf out, long senderSsrc, long mediaSsrc, int[] lostSequences, int count) {
        if (count < 1 || count > lostSequences.length) {
            throw new IllegalArgumentException("a NACK needs 1 to " + lostSequences.length + " sequences, not " + count);
        }
        int start = out.writerIndex();
        header(out, FMT_NACK, RTPFB, 0);
        out.writeInt((int) senderSsrc);
        out.writeInt((int) mediaSsrc);
        int pid = lostSequences[0] & 0xFFFF;
        int blp = 0;
        for (int i = 1; i < count; i++) {
            int sequence = lostSequences[i] & 0xFFFF;
            int distance = (sequence - pid) & 0xFFFF;
            if (distance >= 1 && distance <= 16) {
                blp |= 1 << (distance - 1);
            } else if (distance != 0) {
                out.writeShort(pid);
                out.writeShort(blp);
                pid = sequence;
                blp = 0;
            }
        }
        out.writeShort(pid);
        out.writeShort(blp);
        setLength(out, start);
    }

    /** A Picture Loss Indication (RFC 4585 §6.3.1). */
    public static void pli(ByteBuf out, long senderSsrc, long mediaSsrc) {
        header(out, FMT_PLI, PSFB, 2);
        out.writeInt((int) senderSsrc);
        out.writeInt((int) mediaSsrc);
    }

    /**
     * A Full Intra Request (RFC 5104 §4.3.1) for {@code mediaSsrc}, which goes in the FCI entry:
     * the header's media source SSRC is 0, as the RFC requires. {@code commandSequence} (its low 8
     * bits) must grow by one for each new request, and stay the same for a repeat.
     */
    public static void fir(ByteBuf out, long senderSsrc, long mediaSsrc, int commandSequence) {
        header(out, FMT_FIR, PSFB, 4);
        out.writeInt((int) senderSsrc);
        out.writeInt(0);
        out.writeInt((int) mediaSsrc);
        out.writeByte(commandSequence);
        out.writeMedium(0);
    }

    /**
     * A Receiver Estimated Maximum Bitrate (draft-alvestrand-rmcat-remb §2.2) for the streams
     * {@code ssrcs}: the bitrate as an 18-bit mantissa and a 6-bit exponent, rounded down.
     */
    public static void remb(ByteBuf out, long senderSsrc, long bitrateBps, long... ssrcs) {
        if (bitrateBps < 0) {
            throw new IllegalArgumentException("negative bitrate: " + bitrateBps);
        }
        if (ssrcs.length > 255) {
            throw new IllegalArgumentException("a REMB names at most 255 SSRCs, not " + ssrcs.length);
        }
        int exponent = Math.max(0, 64 - Long.numberOfLeadingZeros(bitrateBps) - 18);
        header(out, FMT_APPLICATION, PSFB, 4 + ssrcs.length);
        out.writeInt((int) senderSsrc);
        out.writeInt(0);
        out.writeInt(REMB_IDENTIFIER);
        out.writeByte(ssrcs.length);
        out.writeMedium(exponent << 18 | (int) (bitrateBps >>> exponent));
        for (long ssrc : ssrcs) {
            out.writeInt((int) ssrc);
        }
    }

    /** A source description (RFC 3550 §6.5) of one chunk with a CNAME of at most 255 UTF-8 bytes. */
    public static void sdesCname(ByteBuf out, long ssrc, String cname) {
        int length = ByteBufUtil.utf8Bytes(cname);
        if (length > 255) {
            throw new IllegalArgumentException("a CNAME is at most 255 bytes, not " + length);
        }
        // The item list ends with a null octet, then nulls up to a 32-bit boundary: 1 to 4 of them.
        int nulls = 4 - (2 + length) % 4;
        int start = out.writerIndex();
        header(out, 1, SDES, 0);
        out.writeInt((int) ssrc);
        out.writeByte(1); // CNAME
        out.writeByte(length);
        ByteBufUtil.reserveAndWriteUtf8(out, cname, length);
        out.writeZero(nulls);
        setLength(out, start);
    }

    private static void header(ByteBuf out, int countOrFormat, int type, int lengthWords) {
        out.writeByte(0x80 | countOrFormat);
        out.writeByte(type);
        out.writeShort(lengthWords);
    }

    /** Sets the length of the packet that starts at {@code start} and ends at the writer index. */
    private static void setLength(ByteBuf out, int start) {
        out.setShort(start + 2, (out.writerIndex() - start) / 4 - 1);
    }
}
