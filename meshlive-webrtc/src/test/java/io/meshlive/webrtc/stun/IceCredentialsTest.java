package io.meshlive.webrtc.stun;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IceCredentialsTest {
    @Test
    void credentialsAreIceCharsOfTheRightLength() {
        assertThat(IceCredentials.newUfrag()).matches("[A-Za-z0-9+/]{8}");
        assertThat(IceCredentials.newPassword()).matches("[A-Za-z0-9+/]{24}");
    }

    @Test
    void credentialsAreRandom() {
        Set<String> seen = new HashSet<>();
        Set<Character> characters = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String password = IceCredentials.newPassword();
            seen.add(password);
            seen.add(IceCredentials.newUfrag());
            password.chars().forEach(c -> characters.add((char) c));
        }
        assertThat(seen).hasSize(400);
        assertThat(characters).hasSize(64); // 4800 draws leave no ice-char out
    }

    @Test
    void candidatePriorityFollowsTheRfcFormula() {
        // Chrome's host candidates for RTP and RTCP: 2130706431 and 2130706430.
        assertThat(IceCredentials.candidatePriority(126, 65535, 1)).isEqualTo(2130706431L);
        assertThat(IceCredentials.candidatePriority(126, 65535, 2)).isEqualTo(2130706430L);
        assertThat(IceCredentials.candidatePriority(0, 0, 256)).isZero();
        assertThat(IceCredentials.candidatePriority(100, 1, 1)).isEqualTo(100L * (1 << 24) + 256 + 255);
    }

    @Test
    void candidatePriorityRefusesOutOfRangeParts() {
        assertThatThrownBy(() -> IceCredentials.candidatePriority(127, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IceCredentials.candidatePriority(-1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IceCredentials.candidatePriority(0, 65536, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IceCredentials.candidatePriority(0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IceCredentials.candidatePriority(0, 0, 257)).isInstanceOf(IllegalArgumentException.class);
    }
}
