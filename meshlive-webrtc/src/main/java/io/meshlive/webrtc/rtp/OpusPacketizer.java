package io.meshlive.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/** Opus to RTP (RFC 7587): one Opus packet per RTP packet, whole, marker clear. */
public final class OpusPacketizer {
    private OpusPacketizer() {
    }

    /**
     * Appends one {@link RtpPacketList} record to {@code out}, leaving {@code opusPacket}'s indexes alone.
     * The marker stays clear: RFC 7587 4.1 sets it only on the first packet after a DTX silence,
     * which the hub does not signal.
     */
    public static void packetize(ByteBuf opusPacket, int payloadType, long rtpTimestamp, ByteBuf out) {
        int length = opusPacket.readableBytes();
        if (length > 0xFFFF - RtpHeader.FIXED_LENGTH) {
            throw new IllegalArgumentException("Opus packet of " + length + " bytes does not fit an RTP packet");
        }
        int record = RtpPacketList.beginPacket(out, payloadType, rtpTimestamp);
        out.writeBytes(opusPacket, opusPacket.readerIndex(), length);
        RtpPacketList.endPacket(out, record);
    }
}
