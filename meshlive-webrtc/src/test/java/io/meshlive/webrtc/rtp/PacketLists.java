package io.meshlive.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.util.ArrayList;
import java.util.List;

/** Test-side view of {@link RtpPacketList}s: copies of their packets, as a viewer would send them. */
final class PacketLists {
    private PacketLists() {
    }

    /** Copies the packets of {@code list}, numbering them from {@code firstSequence} with {@code ssrc}. */
    static List<byte[]> copies(ByteBuf list, int firstSequence, long ssrc) {
        List<byte[]> packets = new ArrayList<>();
        RtpPacketList.forEach(list, (buf, offset, length) -> {
            byte[] p = ByteBufUtil.getBytes(buf, offset, length);
            int seq = (firstSequence + packets.size()) & 0xFFFF;
            p[2] = (byte) (seq >> 8);
            p[3] = (byte) seq;
            for (int i = 0; i < 4; i++) {
                p[8 + i] = (byte) (ssrc >> (24 - 8 * i));
            }
            packets.add(p);
        });
        return packets;
    }
}
