package io.meshlive.webrtc.sdp;

import java.util.HashSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/** Random SSRCs (RFC 3550 §8.1), none zero, none repeated, none equal to one the peer uses. */
final class SsrcAllocator {
    private final RandomGenerator random;
    private final Set<Long> taken;

    SsrcAllocator(RandomGenerator random, Set<Long> peerSsrcs) {
        this.random = random;
        this.taken = new HashSet<>(peerSsrcs);
    }

    long next() {
        while (true) {
            long ssrc = random.nextLong() & 0xFFFFFFFFL;
            if (ssrc != 0 && taken.add(ssrc)) {
                return ssrc;
            }
        }
    }
}
