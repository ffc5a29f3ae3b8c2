package io.meshlive.webrtc.rtp;

import io.meshlive.media.hevc.HevcDecoderConfig;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * HEVC access units to RTP packets, RFC 7798 without DONL (sprop-max-don-diff 0): single NAL unit
 * packets, aggregation packets (type 48) for runs of small NAL units, fragmentation units
 * (type 49) for large ones. One per stream, called once per frame on one thread; not thread-safe.
 * Access unit delimiters and filler data are dropped, SEI is kept (see {@link NalSyntax#HEVC}).
 */
public final class HevcPacketizer {
    private final NalPacketizer packetizer;

    /** @param maxPacketSize the whole RTP packet, header included, e.g. 1200 */
    public HevcPacketizer(int maxPacketSize) {
        this.packetizer = new NalPacketizer(NalSyntax.HEVC, maxPacketSize);
    }

    /**
     * Appends the access unit's packets to {@code out} as {@link RtpPacketList} records, leaving
     * {@code lengthPrefixedNals}' indexes alone. Before a keyframe (an IRAP picture) whose access
     * unit has no SPS of its own, {@code parameterSets} go first in an aggregation packet. Writes
     * nothing when the access unit is malformed.
     *
     * @param parameterSets VPS, SPS and PPS, NAL header included (see {@link #parameterSets}); may be null
     * @throws RtpException when a NAL unit length runs past the end of the access unit
     */
    public void packetize(ByteBuf lengthPrefixedNals, byte[][] parameterSets, boolean keyframe, int payloadType,
                          long rtpTimestamp, ByteBuf out) throws RtpException {
        packetizer.packetize(lengthPrefixedNals, parameterSets, keyframe, payloadType, rtpTimestamp, out);
    }

    /** The VPSs, SPSs then PPSs of an hvcC record, as {@link #packetize} takes them. */
    public static byte[][] parameterSets(HevcDecoderConfig config) {
        List<byte[]> sets = new ArrayList<>(config.vps());
        sets.addAll(config.sps());
        sets.addAll(config.pps());
        return sets.toArray(new byte[0][]);
    }
}
