package io.meshlive.webrtc.rtcp;

import io.netty.buffer.ByteBuf;

import static io.meshlive.webrtc.rtcp.RtcpPacketTypes.*;

/**
 * Walks every packet of a compound RTCP datagram (plain RTCP, as SRTCP decrypts to) and tells a
 * {@link RtcpHandler} what each holds. Nothing is allocated, except the SSRC list of a REMB and
 * the FCI slice of a transport-wide feedback.
 *
 * <p>Every packet must be version 2, fit in the datagram, and have a valid padding count if its
 * padding bit is set. Padding is accepted on any packet, not only the last: browsers pad
 * transport-wide feedback sent on its own (reduced-size RTCP, RFC 5506), which also means the
 * first packet need not be an SR or RR. Types and formats meshlive does not use (SDES, APP,
 * XR, TMMBR...) are skipped.
 */
public final class RtcpParser {
    private RtcpParser() {
    }

    /**
     * Parses the readable bytes of {@code compound} without moving its reader index. A malformed
     * packet throws after the packets before it have been handed to {@code handler}.
     */
    public static void parse(ByteBuf compound, RtcpHandler handler) throws RtcpException {
        int at = compound.readerIndex();
        int end = compound.writerIndex();
        if (at == end) {
            throw new RtcpException("empty RTCP datagram");
        }
        while (at < end) {
            if (end - at < 4) {
                throw new RtcpException((end - at) + " bytes left after the last packet, less than a header");
            }
            int first = compound.getUnsignedByte(at);
            if (first >>> 6 != 2) {
                throw new RtcpException("RTCP version " + (first >>> 6));
            }
            int type = compound.getUnsignedByte(at + 1);
            int length = (compound.getUnsignedShort(at + 2) + 1) * 4;
            if (length > end - at) {
                throw new RtcpException("packet type " + type + " of " + length + " bytes runs past the end of the datagram");
            }
            int contentEnd = at + length;
            if ((first & 0x20) != 0) {
                int padding = compound.getUnsignedByte(contentEnd - 1);
                if (padding == 0 || padding > length - 4) {
                    throw new RtcpException("padding of " + padding + " bytes in a packet of " + length);
                }
                contentEnd -= padding;
            }
            parsePacket(compound, type, first & 0x1F, at + 4, contentEnd, handler);
            at += length;
        }
    }

    /** One packet's body, {@code [body, end)}; {@code count} is the header's count or format field. */
    private static void parsePacket(ByteBuf buf, int type, int count, int body, int end, RtcpHandler handler)
            throws RtcpException {
        switch (type) {
            case SR -> {
                require(end - body >= 24 + count * REPORT_BLOCK_LENGTH, "sender report", count);
                long ssrc = buf.getUnsignedInt(body);
                handler.onSenderReport(ssrc, buf.getLong(body + 4), buf.getUnsignedInt(body + 12),
                        buf.getUnsignedInt(body + 16), buf.getUnsignedInt(body + 20));
                reportBlocks(buf, ssrc, body + 24, count, handler);
            }
            case RR -> {
                require(end - body >= 4 + count * REPORT_BLOCK_LENGTH, "receiver report", count);
                reportBlocks(buf, buf.getUnsignedInt(body), body + 4, count, handler);
            }
            case BYE -> {
                require(end - body >= count * 4, "BYE", count);
                for (int i = 0; i < count; i++) {
                    handler.onBye(buf.getUnsignedInt(body + i * 4));
                }
            }
            case RTPFB, PSFB -> {
                if (end - body < 8) {
                    throw new RtcpException("feedback packet of " + (end - body) + " bytes after the header, less than its two SSRCs");
                }
                long sender = buf.getUnsignedInt(body);
                long media = buf.getUnsignedInt(body + 4);
                if (type == RTPFB) {
                    transportFeedback(buf, count, sender, media, body + 8, end, handler);
                } else {
                    payloadFeedback(buf, count, sender, media, body + 8, end, handler);
                }
            }
            default -> {
                // SDES, APP, XR and the rest: nothing meshlive acts on.
            }
        }
    }

    private static void require(boolean fits, String what, int count) throws RtcpException {
        if (!fits) {
            throw new RtcpException(what + " with a count of " + count + " does not fit in its length");
        }
    }

    private static void reportBlocks(ByteBuf buf, long reporter, int at, int count, RtcpHandler handler) {
        for (int i = 0; i < count; i++, at += REPORT_BLOCK_LENGTH) {
            int lost = buf.getInt(at + 4);
            handler.onReportBlock(reporter, buf.getUnsignedInt(at), lost >>> 24,
                    lost << 8 >> 8, // 24-bit signed
                    buf.getUnsignedInt(at + 8), buf.getUnsignedInt(at + 12),
                    buf.getUnsignedInt(at + 16), buf.getUnsignedInt(at + 20));
        }
    }

    private static void transportFeedback(ByteBuf buf, int format, long sender, long media, int fci, int end,
                                          RtcpHandler handler) throws RtcpException {
        switch (format) {
            case FMT_NACK -> {
                if ((end - fci) % 4 != 0) {
                    throw new RtcpException("NACK with " + (end - fci) + " bytes of FCI, not a multiple of 4");
                }
                for (int at = fci; at < end; at += 4) {
                    int pid = buf.getUnsignedShort(at);
                    int blp = buf.getUnsignedShort(at + 2);
                    handler.onNack(sender, media, pid);
                    for (int bit = 0; bit < 16; bit++) {
                        if ((blp & 1 << bit) != 0) {
                            handler.onNack(sender, media, (pid + bit + 1) & 0xFFFF);
                        }
                    }
                }
            }
            case FMT_TRANSPORT_CC -> {
                // Base sequence number, status count, reference time and feedback count at least.
                if (end - fci < 8) {
                    throw new RtcpException("transport-wide feedback with " + (end - fci) + " bytes of FCI");
                }
                handler.onTransportFeedback(sender, media, buf.slice(fci, end - fci));
            }
            default -> {
                // TMMBR, TMMBN, RRR...: unused.
            }
        }
    }

    private static void payloadFeedback(ByteBuf buf, int format, long sender, long media, int fci, int end,
                                        RtcpHandler handler) throws RtcpException {
        switch (format) {
            case FMT_PLI -> handler.onPli(sender, media);
            case FMT_FIR -> {
                if ((end - fci) % 8 != 0) {
                    throw new RtcpException("FIR with " + (end - fci) + " bytes of FCI, not a multiple of 8");
                }
                for (int at = fci; at < end; at += 8) {
                    handler.onFir(sender, buf.getUnsignedInt(at), buf.getUnsignedByte(at + 4));
                }
            }
            case FMT_APPLICATION -> {
                if (end - fci >= 8 && buf.getInt(fci) == REMB_IDENTIFIER) {
                    remb(buf, sender, fci, end, handler);
                }
            }
            default -> {
                // SLI, RPSI...: unused.
            }
        }
    }

    private static void remb(ByteBuf buf, long sender, int fci, int end, RtcpHandler handler) throws RtcpException {
        int count = buf.getUnsignedByte(fci + 4);
        if (end - fci < 8 + count * 4) {
            throw new RtcpException("REMB with " + count + " SSRCs does not fit in its length");
        }
        int exponentAndMantissa = buf.getUnsignedMedium(fci + 5);
        int exponent = exponentAndMantissa >>> 18;
        long mantissa = exponentAndMantissa & 0x3FFFF;
        // An 18-bit mantissa shifted by up to 63 can overflow; such an estimate means "no limit".
        long bitrate = mantissa == 0 || exponent < Long.numberOfLeadingZeros(mantissa)
                ? mantissa << exponent : Long.MAX_VALUE;
        long[] ssrcs = new long[count];
        for (int i = 0; i < count; i++) {
            ssrcs[i] = buf.getUnsignedInt(fci + 8 + i * 4);
        }
        handler.onRemb(sender, bitrate, ssrcs);
    }
}
