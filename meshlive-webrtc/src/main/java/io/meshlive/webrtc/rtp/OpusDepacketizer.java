package io.meshlive.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/** RTP to Opus (RFC 7587): the payload is one Opus packet. */
public final class OpusDepacketizer {
    private OpusDepacketizer() {
    }

    /**
     * The Opus packet in {@code rtpPacket}: a retained slice of its payload, which the caller
     * releases; {@code rtpPacket} keeps its own reference and indexes.
     *
     * @throws RtpException when the RTP header or padding is malformed
     */
    public static ByteBuf opusPacket(ByteBuf rtpPacket) throws RtpException {
        int header = RtpHeader.headerLength(rtpPacket);
        int length = rtpPacket.readableBytes() - header - RtpHeader.paddingLength(rtpPacket);
        return rtpPacket.retainedSlice(rtpPacket.readerIndex() + header, length);
    }
}
