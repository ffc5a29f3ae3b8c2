package io.meshlive.webrtc.rtp;

import io.meshlive.media.avc.AvcDecoderConfig;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

/**
 * H.264 access units to RTP packets, RFC 6184 packetization-mode 1 (what browsers negotiate):
 * single NAL unit packets, STAP-A for runs of small NAL units, FU-A for large ones. One per stream,
 * called once per frame on one thread; not thread-safe. Access unit delimiters and filler data are
 * dropped, SEI is kept (see {@link NalSyntax#H264}).
 */
public final class H264Packetizer {
    private final NalPacketizer packetizer;

    /** @param maxPacketSize the whole RTP packet, header included, e.g. 1200 */
    public H264Packetizer(int maxPacketSize) {
        this.packetizer = new NalPacketizer(NalSyntax.H264, maxPacketSize);
    }

    /**
     * Appends the access unit's packets to {@code out} as {@link RtpPacketList} records, leaving
     * {@code lengthPrefixedNals}' indexes alone. Before a keyframe whose access unit has no SPS of
     * its own, {@code parameterSets} go first in a STAP-A (RFC 6184 5.7.1). Writes nothing when the
     * access unit is malformed.
     *
     * @param parameterSets SPS and PPS, NAL header included (see {@link #parameterSets}); may be null
     * @throws RtpException when a NAL unit length runs past the end of the access unit
     */
    public void packetize(ByteBuf lengthPrefixedNals, byte[][] parameterSets, boolean keyframe, int payloadType,
                          long rtpTimestamp, ByteBuf out) throws RtpException {
        packetizer.packetize(lengthPrefixedNals, parameterSets, keyframe, payloadType, rtpTimestamp, out);
    }

    /** The SPSs then the PPSs of an avcC record, as {@link #packetize} takes them. */
    public static byte[][] parameterSets(AvcDecoderConfig config) {
        List<byte[]> sets = new ArrayList<>(config.sps());
        sets.addAll(config.pps());
        return sets.toArray(new byte[0][]);
    }
}
