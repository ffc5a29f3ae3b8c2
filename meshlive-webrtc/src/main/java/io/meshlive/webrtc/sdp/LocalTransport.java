package io.meshlive.webrtc.sdp;

import java.util.List;
import java.util.Objects;

/** Our side of the transport, written into every accepted m-line of an answer. */
public record LocalTransport(String iceUfrag, String icePwd, Fingerprint fingerprint, List<IceCandidate> candidates) {
    public LocalTransport {
        Objects.requireNonNull(iceUfrag, "iceUfrag");
        Objects.requireNonNull(icePwd, "icePwd");
        Objects.requireNonNull(fingerprint, "fingerprint");
        candidates = List.copyOf(candidates);
    }
}
