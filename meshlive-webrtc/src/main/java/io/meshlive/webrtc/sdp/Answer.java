package io.meshlive.webrtc.sdp;

import java.util.List;

/**
 * An SDP answer and what it agreed to.
 *
 * @param sdp         the answer's text, CRLF lines
 * @param tracks      one per accepted RTP m-line, in m-line order
 * @param dataChannel the accepted data channel m-line, or null when the offer had none (or we refused it)
 */
public record Answer(String sdp, List<NegotiatedTrack> tracks, SctpParameters dataChannel) {
    public Answer {
        tracks = List.copyOf(tracks);
    }

    public Answer(String sdp, List<NegotiatedTrack> tracks) {
        this(sdp, tracks, null);
    }

    /** The first accepted track of {@code kind} ("audio", "video"), or null: we use one of each. */
    public NegotiatedTrack track(String kind) {
        for (NegotiatedTrack t : tracks) {
            if (t.kind().equals(kind)) {
                return t;
            }
        }
        return null;
    }
}
