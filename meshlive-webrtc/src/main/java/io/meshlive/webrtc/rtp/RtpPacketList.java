package io.meshlive.webrtc.rtp;

import io.netty.buffer.ByteBuf;

/**
 * The RTP packets of one frame, written once per stream and shared by every viewer: one buffer of
 * records, each a 16-bit big-endian length and an RTP packet with a 12-byte header whose payload
 * type, timestamp and marker are final and whose sequence number and SSRC are 0, for per-viewer
 * code to rewrite in its own copy (it copies anyway, to encrypt). Records run from the reader
 * index to the writer index; reading them moves neither.
 */
public final class RtpPacketList {
    private static final int LENGTH_SIZE = 2;

    private RtpPacketList() {
    }

    /** Number of packets in {@code list}. */
    public static int count(ByteBuf list) {
        int count = 0;
        for (int i = list.readerIndex(); i < list.writerIndex(); i = next(list, i)) {
            count++;
        }
        return count;
    }

    /** Calls {@code visitor} for each packet of {@code list}, in order. */
    public static void forEach(ByteBuf list, PacketVisitor visitor) {
        for (int i = list.readerIndex(); i < list.writerIndex(); i = next(list, i)) {
            visitor.packet(list, i + LENGTH_SIZE, list.getUnsignedShort(i));
        }
    }

    private static int next(ByteBuf list, int record) {
        int next = record + LENGTH_SIZE + list.getUnsignedShort(record);
        if (next > list.writerIndex()) {
            throw new IllegalArgumentException("RTP packet list record at " + record + " runs past its end");
        }
        return next;
    }

    /**
     * Starts a record in {@code out}: writes a placeholder length and the 12-byte header (marker
     * clear, sequence number and SSRC 0) and returns the record's index for {@link #endPacket}.
     */
    static int beginPacket(ByteBuf out, int payloadType, long rtpTimestamp) {
        int record = out.writerIndex();
        out.writeShort(0);
        RtpHeader.write(out, false, payloadType, 0, rtpTimestamp, 0);
        return record;
    }

    /** Sets the length of the record begun at {@code record} to what was written since. */
    static void endPacket(ByteBuf out, int record) {
        out.setShort(record, out.writerIndex() - record - LENGTH_SIZE);
    }

    /** Sets the marker bit of the packet in the record at {@code record}. */
    static void setMarker(ByteBuf out, int record) {
        int i = record + LENGTH_SIZE + 1;
        out.setByte(i, out.getByte(i) | 0x80);
    }
}
