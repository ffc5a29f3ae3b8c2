package io.meshlive.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Turns an access unit of length-prefixed NAL units into RTP packets (records of an
 * {@link RtpPacketList}), the part RFC 6184 and RFC 7798 share: a NAL unit that fits goes alone
 * or, with the small ones after it, in one aggregation packet; a larger one goes in fragmentation
 * units of even size; the last packet carries the marker. Reads its input with absolute indexes.
 */
final class NalPacketizer {
    /** Bytes in the hub's NAL unit length prefix. */
    private static final int LENGTH_SIZE = 4;
    /** Bytes in the length before each NAL unit of an aggregation packet. */
    private static final int AGGREGATED_LENGTH_SIZE = 2;

    private final NalSyntax syntax;
    private final int maxPayload;

    NalPacketizer(NalSyntax syntax, int maxPacketSize) {
        if (maxPacketSize < RtpHeader.FIXED_LENGTH + syntax.fragmentHeaderSize + 1 || maxPacketSize > 0xFFFF) {
            throw new IllegalArgumentException("max RTP packet size " + maxPacketSize);
        }
        this.syntax = syntax;
        this.maxPayload = maxPacketSize - RtpHeader.FIXED_LENGTH;
    }

    void packetize(ByteBuf nals, byte[][] parameterSets, boolean keyframe, int payloadType, long rtpTimestamp,
                   ByteBuf out) throws RtpException {
        int start = nals.readerIndex();
        int end = nals.writerIndex();
        boolean inBandSps = validate(nals, start, end);
        int last = -1;
        // In-band parameter sets are the publisher's latest; the config's would only repeat them.
        if (keyframe && parameterSets != null && !inBandSps) {
            ByteBuf sets = lengthPrefixed(parameterSets);
            try {
                // Their own run, so they form one aggregation packet of their own before the picture.
                last = packetizeRun(sets, sets.readerIndex(), sets.writerIndex(), payloadType, rtpTimestamp, out, last);
            } finally {
                sets.release();
            }
        }
        last = packetizeRun(nals, start, end, payloadType, rtpTimestamp, out, last);
        if (last >= 0) {
            RtpPacketList.setMarker(out, last);
        }
    }

    /** Checks every length before anything is written; returns whether the access unit has an SPS. */
    private boolean validate(ByteBuf nals, int start, int end) throws RtpException {
        boolean sps = false;
        for (int pos = start; pos < end; ) {
            if (end - pos < LENGTH_SIZE) {
                throw new RtpException("NAL unit length prefix cut short at " + (pos - start));
            }
            long length = nals.getUnsignedInt(pos);
            if (length > end - pos - LENGTH_SIZE) {
                throw new RtpException("NAL unit of " + length + " bytes at " + (pos - start)
                        + " runs past the frame's " + (end - start));
            }
            if (length >= syntax.headerSize && syntax.type(syntax.header(nals, pos + LENGTH_SIZE)) == syntax.spsType) {
                sps = true;
            }
            pos += LENGTH_SIZE + (int) length;
        }
        return sps;
    }

    private static ByteBuf lengthPrefixed(byte[][] sets) {
        ByteBuf buf = Unpooled.buffer();
        for (byte[] set : sets) {
            if (set != null && set.length > 0) {
                buf.writeInt(set.length);
                buf.writeBytes(set);
            }
        }
        return buf;
    }

    /** Packetises the validated NAL units in [from, to); returns the index of the last record written. */
    private int packetizeRun(ByteBuf src, int from, int to, int payloadType, long rtpTimestamp, ByteBuf out, int last) {
        int pos = skipDropped(src, from, to);
        while (pos < to) {
            int length = src.getInt(pos);
            int groupEnd = pos + LENGTH_SIZE + length;
            int next = skipDropped(src, groupEnd, to);
            int count = 1;
            if (length <= maxPayload) {
                int size = syntax.headerSize + AGGREGATED_LENGTH_SIZE + length;
                while (next < to) {
                    int nextLength = src.getInt(next);
                    if (size + AGGREGATED_LENGTH_SIZE + nextLength > maxPayload) {
                        break;
                    }
                    size += AGGREGATED_LENGTH_SIZE + nextLength;
                    count++;
                    groupEnd = next + LENGTH_SIZE + nextLength;
                    next = skipDropped(src, groupEnd, to);
                }
            }
            if (length > maxPayload) {
                last = fragment(src, pos + LENGTH_SIZE, length, payloadType, rtpTimestamp, out);
            } else if (count == 1) {
                last = RtpPacketList.beginPacket(out, payloadType, rtpTimestamp);
                out.writeBytes(src, pos + LENGTH_SIZE, length);
                RtpPacketList.endPacket(out, last);
            } else {
                last = aggregate(src, pos, groupEnd, payloadType, rtpTimestamp, out);
            }
            pos = next;
        }
        return last;
    }

    /** The first NAL unit at or after {@code pos} worth sending, or {@code to}. */
    private int skipDropped(ByteBuf src, int pos, int to) {
        while (pos < to) {
            int length = src.getInt(pos);
            if (length >= syntax.headerSize && !syntax.dropped(syntax.type(syntax.header(src, pos + LENGTH_SIZE)))) {
                return pos;
            }
            pos += LENGTH_SIZE + length;
        }
        return to;
    }

    private int aggregate(ByteBuf src, int from, int to, int payloadType, long rtpTimestamp, ByteBuf out) {
        int header = syntax.aggregationStart();
        for (int pos = from; pos < to; pos = skipDropped(src, pos + LENGTH_SIZE + src.getInt(pos), to)) {
            header = syntax.aggregate(header, syntax.header(src, pos + LENGTH_SIZE));
        }
        int record = RtpPacketList.beginPacket(out, payloadType, rtpTimestamp);
        syntax.writeAggregationHeader(out, header);
        for (int pos = from; pos < to; pos = skipDropped(src, pos + LENGTH_SIZE + src.getInt(pos), to)) {
            int length = src.getInt(pos);
            out.writeShort(length);
            out.writeBytes(src, pos + LENGTH_SIZE, length);
        }
        RtpPacketList.endPacket(out, record);
        return record;
    }

    /** Splits one NAL unit into fragments of even size, so the last is not a runt; returns the last record. */
    private int fragment(ByteBuf src, int nal, int length, int payloadType, long rtpTimestamp, ByteBuf out) {
        int header = syntax.header(src, nal);
        int data = nal + syntax.headerSize;
        int remaining = length - syntax.headerSize;
        int perFragment = maxPayload - syntax.fragmentHeaderSize;
        int fragments = (remaining + perFragment - 1) / perFragment;
        int record = -1;
        for (int i = 0; i < fragments; i++) {
            int size = (remaining + fragments - i - 1) / (fragments - i);
            record = RtpPacketList.beginPacket(out, payloadType, rtpTimestamp);
            syntax.writeFragmentHeader(out, header, i == 0, i == fragments - 1);
            out.writeBytes(src, data, size);
            RtpPacketList.endPacket(out, record);
            data += size;
            remaining -= size;
        }
        return record;
    }
}
