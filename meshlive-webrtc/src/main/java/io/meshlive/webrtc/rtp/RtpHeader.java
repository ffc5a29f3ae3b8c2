package io.meshlive.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Flyweight accessors for the RTP header (RFC 3550 5.1) of a packet in a {@link ByteBuf}. Every
 * index is absolute, counted from the buffer's reader index, and no index of the buffer moves.
 * The fixed-field accessors trust the caller to have checked that {@link #FIXED_LENGTH} bytes are
 * readable ({@link #looksLikeRtp} or {@link #headerLength} do); the length accessors validate.
 */
public final class RtpHeader {
    public static final int FIXED_LENGTH = 12;
    public static final int VERSION = 2;

    private static final int PADDING_BIT = 0x20;
    private static final int EXTENSION_BIT = 0x10;
    private static final int MARKER_BIT = 0x80;

    private RtpHeader() {
    }

    /**
     * True for a datagram that is RTP rather than RTCP, STUN or DTLS on a shared port: version 2
     * (a first byte of 128..191, RFC 7983) and a payload type outside 64..95, the range RFC 5761
     * keeps free so that the RTCP packet types 192..223 cannot be mistaken for marker + RTP type.
     */
    public static boolean looksLikeRtp(ByteBuf datagram) {
        if (datagram.readableBytes() < FIXED_LENGTH) {
            return false;
        }
        int first = datagram.getUnsignedByte(datagram.readerIndex());
        int type = datagram.getUnsignedByte(datagram.readerIndex() + 1) & 0x7F;
        return first >= 128 && first <= 191 && (type < 64 || type > 95);
    }

    /** True for a datagram that is RTCP (version 2, packet type 192..223, RFC 5761 4). */
    public static boolean isRtcp(ByteBuf datagram) {
        if (datagram.readableBytes() < 2) {
            return false;
        }
        int first = datagram.getUnsignedByte(datagram.readerIndex());
        int type = datagram.getUnsignedByte(datagram.readerIndex() + 1);
        return first >= 128 && first <= 191 && type >= 192 && type <= 223;
    }

    public static int version(ByteBuf p) {
        return p.getUnsignedByte(p.readerIndex()) >> 6;
    }

    public static boolean marker(ByteBuf p) {
        return (p.getByte(p.readerIndex() + 1) & MARKER_BIT) != 0;
    }

    public static int payloadType(ByteBuf p) {
        return p.getByte(p.readerIndex() + 1) & 0x7F;
    }

    public static int sequence(ByteBuf p) {
        return p.getUnsignedShort(p.readerIndex() + 2);
    }

    public static long timestamp(ByteBuf p) {
        return p.getUnsignedInt(p.readerIndex() + 4);
    }

    public static long ssrc(ByteBuf p) {
        return p.getUnsignedInt(p.readerIndex() + 8);
    }

    /** Number of CSRC identifiers after the fixed header. */
    public static int csrcCount(ByteBuf p) {
        return p.getByte(p.readerIndex()) & 0x0F;
    }

    /**
     * Bytes before the payload: the fixed header, the CSRC list and the header extension
     * (RFC 3550 5.3.1; RFC 8285 one- and two-byte forms alike, since only its length matters here).
     *
     * @throws RtpException when the packet is not version 2 or the header runs past its end
     */
    public static int headerLength(ByteBuf p) throws RtpException {
        int readable = p.readableBytes();
        if (readable < FIXED_LENGTH) {
            throw new RtpException("RTP packet of " + readable + " bytes, shorter than its fixed header");
        }
        if (version(p) != VERSION) {
            throw new RtpException("RTP version " + version(p) + ", expected 2");
        }
        int length = FIXED_LENGTH + 4 * csrcCount(p);
        if ((p.getByte(p.readerIndex()) & EXTENSION_BIT) != 0) {
            if (length + 4 > readable) {
                throw new RtpException("RTP header extension starts past the packet's " + readable + " bytes");
            }
            length += 4 + 4 * p.getUnsignedShort(p.readerIndex() + length + 2);
        }
        if (length > readable) {
            throw new RtpException("RTP header of " + length + " bytes in a packet of " + readable);
        }
        return length;
    }

    /**
     * Padding bytes at the end of the packet, its last byte when the P bit is set (RFC 3550 5.1),
     * else 0.
     *
     * @throws RtpException when the header is bad or the padding count is 0 or runs into the header
     */
    public static int paddingLength(ByteBuf p) throws RtpException {
        int header = headerLength(p);
        if ((p.getByte(p.readerIndex()) & PADDING_BIT) == 0) {
            return 0;
        }
        int padding = p.getUnsignedByte(p.writerIndex() - 1);
        if (padding == 0 || header + padding > p.readableBytes()) {
            throw new RtpException("RTP padding of " + padding + " bytes after a " + header
                    + "-byte header in a packet of " + p.readableBytes());
        }
        return padding;
    }

    /** Payload bytes: what is left after the header and before the padding. */
    public static int payloadLength(ByteBuf p) throws RtpException {
        return p.readableBytes() - headerLength(p) - paddingLength(p);
    }

    public static void setMarker(ByteBuf p, boolean marker) {
        int i = p.readerIndex() + 1;
        p.setByte(i, marker ? p.getByte(i) | MARKER_BIT : p.getByte(i) & ~MARKER_BIT);
    }

    /** Sets or clears the X bit: whether a header extension block follows the fixed header and CSRCs. */
    public static void setExtension(ByteBuf p, boolean extension) {
        int i = p.readerIndex();
        p.setByte(i, extension ? p.getByte(i) | EXTENSION_BIT : p.getByte(i) & ~EXTENSION_BIT);
    }

    public static void setPayloadType(ByteBuf p, int pt) {
        int i = p.readerIndex() + 1;
        p.setByte(i, (p.getByte(i) & MARKER_BIT) | (pt & 0x7F));
    }

    public static void setSequence(ByteBuf p, int seq) {
        p.setShort(p.readerIndex() + 2, seq);
    }

    public static void setTimestamp(ByteBuf p, long ts) {
        p.setInt(p.readerIndex() + 4, (int) ts);
    }

    public static void setSsrc(ByteBuf p, long ssrc) {
        p.setInt(p.readerIndex() + 8, (int) ssrc);
    }

    /** Appends a 12-byte header: version 2, no padding, no extension, no CSRC. */
    public static void write(ByteBuf out, boolean marker, int payloadType, int sequence, long timestamp, long ssrc) {
        out.writeByte(VERSION << 6);
        out.writeByte((marker ? MARKER_BIT : 0) | (payloadType & 0x7F));
        out.writeShort(sequence);
        out.writeInt((int) timestamp);
        out.writeInt((int) ssrc);
    }
}
