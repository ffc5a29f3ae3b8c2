package io.meshlive.webrtc.sdp;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One accepted m-line: what RTP flows on it and how.
 *
 * @param codec          the codec as answered (our fmtp, the agreed feedback)
 * @param rtxPayloadType the RTX payload type for {@code codec}, -1 if none
 * @param localSsrc      our SSRC: the media we send (SEND), or the sender SSRC of our RTCP (RECEIVE)
 * @param localRtxSsrc   our RTX SSRC when we send with RTX, else 0
 * @param feedback       the agreed rtcp-fb values ("nack", "nack pli", "ccm fir", "goog-remb", "transport-cc")
 * @param extensionIds   header extension URI to id, only those we accepted
 * @param remoteSsrcs    the offer's media SSRCs (its a=ssrc ids that are not the RTX of another)
 * @param remoteRtxSsrc  the offer's RTX SSRC for its first media SSRC (ssrc-group FID), 0 if none
 */
public record NegotiatedTrack(String mid, String kind, RtpCodec codec, int rtxPayloadType, long localSsrc,
                              long localRtxSsrc, Set<String> feedback, Map<String, Integer> extensionIds,
                              List<Long> remoteSsrcs, long remoteRtxSsrc) {
    public NegotiatedTrack {
        feedback = Set.copyOf(feedback);
        extensionIds = Map.copyOf(extensionIds);
        remoteSsrcs = List.copyOf(remoteSsrcs);
    }
}
