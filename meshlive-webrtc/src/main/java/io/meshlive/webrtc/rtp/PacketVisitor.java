package io.meshlive.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/** Receives each packet of an {@link RtpPacketList}. */
@FunctionalInterface
public interface PacketVisitor {
    /** The RTP packet is {@code list}'s bytes at absolute {@code offset}, {@code length} long. */
    void packet(ByteBuf list, int offset, int length);
}
