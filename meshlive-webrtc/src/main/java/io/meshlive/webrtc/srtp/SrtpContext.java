package io.meshlive.webrtc.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;

/**
 * SRTP and SRTCP for one direction of a session: one master key and salt, from which the RTP
 * and RTCP session keys are derived once (RFC 3711 §4.3, key derivation rate 0). It keeps, per
 * SSRC, the highest packet index (so the ROC) and a 64-packet replay window, for RTP and for
 * RTCP; a sender context uses the index and ignores the window.
 *
 * <p>Packets are the readable bytes of a {@link ByteBuf}, transformed in place. State for an
 * SSRC is created only by a packet that authenticates, so forged packets cannot grow it.
 *
 * <p>Not thread-safe: one owner thread (the session's event loop).
 */
public final class SrtpContext {
    private static final int RTP_HEADER_LENGTH = 12;
    private static final int RTP_VERSION = 2;

    private final SrtpProfile profile;
    private final SrtpTransform rtp;
    private final SrtpTransform rtcp;
    private final IntObjectHashMap<PacketIndexWindow> rtpStreams = new IntObjectHashMap<>();
    private final IntObjectHashMap<PacketIndexWindow> rtcpStreams = new IntObjectHashMap<>();
    private final PacketArray bytes = new PacketArray();

    /** @throws IllegalArgumentException if the key or salt is not the profile's length */
    public SrtpContext(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        this(profile, SessionKeys.forRtp(profile, masterKey, masterSalt), SessionKeys.forRtcp(profile, masterKey, masterSalt));
    }

    /** Straight from session keys, as RFC 7714's test vectors give them. */
    SrtpContext(SrtpProfile profile, SessionKeys rtpKeys, SessionKeys rtcpKeys) {
        this.profile = profile;
        this.rtp = SrtpTransform.of(profile, rtpKeys);
        this.rtcp = SrtpTransform.of(profile, rtcpKeys);
    }

    public SrtpProfile profile() {
        return profile;
    }

    /**
     * Encrypts the payload in place (header, CSRCs and header extension stay clear) and appends
     * the auth tag. The buffer should have {@link SrtpProfile#rtpAuthTagLength()} writable bytes;
     * it is grown otherwise.
     *
     * @throws IllegalArgumentException if the packet is not RTP or shorter than its header says
     */
    public void protectRtp(ByteBuf packet) {
        int length = packet.readableBytes();
        int headerLength = rtpHeaderLength(packet, length);
        if (headerLength < 0) {
            throw new IllegalArgumentException("not an RTP packet: " + length + " bytes, header "
                    + (length > 0 ? "byte " + packet.getUnsignedByte(packet.readerIndex()) : "missing"));
        }
        int ssrc = packet.getInt(packet.readerIndex() + 8);
        PacketIndexWindow stream = windowOf(rtpStreams, ssrc);
        long index = stream.estimateRtpIndex(packet.getUnsignedShort(packet.readerIndex() + 2));
        int tag = profile.rtpAuthTagLength();
        packet.ensureWritable(tag);
        bytes.open(packet, length, tag);
        rtp.protectRtp(bytes.array(), bytes.offset(), headerLength, length, ssrc, index);
        bytes.commit(packet, length + tag);
        packet.writerIndex(packet.writerIndex() + tag);
        stream.record(index);
    }

    /**
     * Verifies and decrypts in place and trims the tag. The ROC is estimated from the sequence
     * number (RFC 3711 §3.3.1), so a stream may cross the 16-bit wrap and arrive out of order.
     *
     * @throws SrtpException if the packet is too short, replayed, too old for the window, or its
     *                       tag does not match; the buffer's bytes are then undefined
     */
    public void unprotectRtp(ByteBuf packet) throws SrtpException {
        int length = packet.readableBytes();
        int tag = profile.rtpAuthTagLength();
        int headerLength = rtpHeaderLength(packet, length - tag);
        if (headerLength < 0) {
            throw new SrtpException("packet too short or not RTP: " + length + " bytes");
        }
        int ssrc = packet.getInt(packet.readerIndex() + 8);
        int seq = packet.getUnsignedShort(packet.readerIndex() + 2);
        PacketIndexWindow stream = rtpStreams.get(ssrc);
        long index = stream == null ? seq : stream.estimateRtpIndex(seq);
        if (stream != null) {
            checkFresh(stream, index, "seq=" + seq, ssrc);
        }
        bytes.open(packet, length, 0);
        if (!rtp.unprotectRtp(bytes.array(), bytes.offset(), headerLength, length, ssrc, index)) {
            throw new SrtpException("auth tag mismatch: RTP seq=" + seq + " ssrc=" + Integer.toUnsignedString(ssrc));
        }
        bytes.commit(packet, length - tag);
        packet.writerIndex(packet.writerIndex() - tag);
        if (stream == null) {
            stream = windowOf(rtpStreams, ssrc); // only once the packet authenticated: forgeries make no state
        }
        stream.record(index);
    }

    /**
     * Encrypts everything after the first 8 bytes in place and appends the SRTCP trailer: the E
     * flag with the SSRC's next 31-bit SRTCP index, and the tag
     * ({@link SrtpProfile#rtcpTrailerLength()} bytes; the buffer is grown if it has less room).
     *
     * @throws IllegalArgumentException if the packet is shorter than an RTCP header
     */
    public void protectRtcp(ByteBuf packet) {
        int length = packet.readableBytes();
        if (length < SrtpTransform.RTCP_CLEAR_LENGTH) {
            throw new IllegalArgumentException("not an RTCP packet: " + length + " bytes");
        }
        int ssrc = packet.getInt(packet.readerIndex() + 4);
        PacketIndexWindow stream = windowOf(rtcpStreams, ssrc);
        // Indices start at 1, as libsrtp's do; past 2^31 - 1 the master key must change (RFC 3711 §9.2).
        long index = Math.max(stream.highest(), 0) + 1;
        if (index > Integer.MAX_VALUE) {
            throw new IllegalStateException("SRTCP index exhausted for SSRC " + Integer.toUnsignedString(ssrc) + ": rekey");
        }
        int trailer = profile.rtcpTrailerLength();
        packet.ensureWritable(trailer);
        bytes.open(packet, length, trailer);
        rtcp.protectRtcp(bytes.array(), bytes.offset(), length, ssrc, Integer.MIN_VALUE | (int) index);
        bytes.commit(packet, length + trailer);
        packet.writerIndex(packet.writerIndex() + trailer);
        stream.record(index);
    }

    /**
     * Verifies and, when the E flag is set, decrypts in place, and trims the SRTCP trailer.
     *
     * @throws SrtpException if the packet is too short, replayed, too old for the window, or its
     *                       tag does not match; the buffer's bytes are then undefined
     */
    public void unprotectRtcp(ByteBuf packet) throws SrtpException {
        int length = packet.readableBytes();
        int trailer = profile.rtcpTrailerLength();
        if (length < SrtpTransform.RTCP_CLEAR_LENGTH + trailer) {
            throw new SrtpException("packet too short for SRTCP: " + length + " bytes");
        }
        int ssrc = packet.getInt(packet.readerIndex() + 4);
        int indexWord = packet.getInt(packet.readerIndex() + length - rtcp.srtcpIndexFromEnd());
        long index = indexWord & 0x7FFFFFFF;
        PacketIndexWindow stream = rtcpStreams.get(ssrc);
        if (stream != null) {
            checkFresh(stream, index, "SRTCP index=" + index, ssrc);
        }
        int rtcpLength = length - trailer;
        bytes.open(packet, length, 0);
        if (!rtcp.unprotectRtcp(bytes.array(), bytes.offset(), rtcpLength, ssrc, indexWord)) {
            throw new SrtpException("auth tag mismatch: SRTCP index=" + index + " ssrc=" + Integer.toUnsignedString(ssrc));
        }
        bytes.commit(packet, rtcpLength);
        packet.writerIndex(packet.writerIndex() - trailer);
        if (stream == null) {
            stream = windowOf(rtcpStreams, ssrc);
        }
        stream.record(index);
    }

    /** The SSRC's index window, made on first use. */
    private static PacketIndexWindow windowOf(IntObjectHashMap<PacketIndexWindow> streams, int ssrc) {
        PacketIndexWindow w = streams.get(ssrc);
        if (w == null) {
            w = new PacketIndexWindow();
            streams.put(ssrc, w);
        }
        return w;
    }

    private static void checkFresh(PacketIndexWindow stream, long index, String packet, int ssrc) throws SrtpException {
        if (stream.isTooOld(index)) {
            throw new SrtpException("packet too old for the replay window: " + packet + " ssrc=" + Integer.toUnsignedString(ssrc));
        }
        if (stream.wasSeen(index)) {
            throw new SrtpException("replayed packet " + packet + " ssrc=" + Integer.toUnsignedString(ssrc));
        }
    }

    /**
     * The length of the RTP header (fixed part, CSRCs, header extension) at the reader index, or
     * -1 if the first {@code length} bytes cannot hold it or it is not RTP version 2. Padding is
     * part of the payload for SRTP (RFC 3711 §3.1) and needs nothing here.
     */
    private static int rtpHeaderLength(ByteBuf packet, int length) {
        if (length < RTP_HEADER_LENGTH) {
            return -1;
        }
        int at = packet.readerIndex();
        int first = packet.getUnsignedByte(at);
        if (first >>> 6 != RTP_VERSION) {
            return -1;
        }
        int headerLength = RTP_HEADER_LENGTH + 4 * (first & 0x0F);
        if ((first & 0x10) != 0) {
            if (length < headerLength + 4) {
                return -1;
            }
            headerLength += 4 + 4 * packet.getUnsignedShort(at + headerLength + 2);
        }
        return headerLength <= length ? headerLength : -1;
    }

}
