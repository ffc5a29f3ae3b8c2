package io.meshlive.bench.play;

/**
 * What a WHEP player received besides bytes and frames.
 *
 * @param rtpPackets    SRTP packets received (those {@link WhepMedia} opens, authenticated)
 * @param lostPackets   RTP packets never received (sequence gaps; audio and video), RFC 3550 §6.4.1
 * @param rtcpPackets   SRTCP compound packets that decrypted (the server's sender reports)
 * @param undecryptable packets opened whose authentication failed, replays included
 * @param videoWidth    the picture width in the last H.264 SPS received (a server may change
 *                      rendition), 0 before one and in a total over players
 * @param videoHeight   its height
 */
public record WhepCounts(long rtpPackets, long lostPackets, long rtcpPackets, long undecryptable,
                         int videoWidth, int videoHeight) {
    static final WhepCounts NONE = new WhepCounts(0, 0, 0, 0, 0, 0);

    WhepCounts plus(WhepCounts o) {
        return new WhepCounts(rtpPackets + o.rtpPackets, lostPackets + o.lostPackets, rtcpPackets + o.rtcpPackets,
                undecryptable + o.undecryptable, 0, 0);
    }
}
