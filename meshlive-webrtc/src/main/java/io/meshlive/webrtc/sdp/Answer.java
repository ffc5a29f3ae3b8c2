package io.meshlive.webrtc.sdp;

import java.util.List;

/**
 * An SDP answer and what it agreed to.
 *
 * @param sdp    the answer's text, CRLF lines
 * @param tracks one per accepted m-line, in m-line order
 */
public record Answer(String sdp, List<NegotiatedTrack> tracks) {
    public Answer {
        tracks = List.copyOf(tracks);
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
