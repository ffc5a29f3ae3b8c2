package io.meshlive.webrtc.dtls;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SdpFingerprintTest {
    private static final byte[] HASH = HexFormat.of().parseHex("00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210");
    private static final String SDP = "sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
            + "01:23:45:67:89:AB:CD:EF:FE:DC:BA:98:76:54:32:10";

    @Test
    void formatsUpperCaseColonSeparatedHex() {
        assertThat(SdpFingerprint.format(HASH)).isEqualTo(SDP);
    }

    @Test
    void parsesWhatBrowsersWriteInAnyCase() {
        assertThat(SdpFingerprint.parseSha256(SDP)).isEqualTo(HASH);
        assertThat(SdpFingerprint.parseSha256("  SHA-256 " + SDP.substring(8).toLowerCase() + "\r")).isEqualTo(HASH);
    }

    @Test
    void rejectsOtherHashesAndMalformedValues() {
        assertThatThrownBy(() -> SdpFingerprint.parseSha256("sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sha-1");
        assertThatThrownBy(() -> SdpFingerprint.parseSha256("sha-256 00:11:22")).hasMessageContaining("32 bytes, not 3");
        assertThatThrownBy(() -> SdpFingerprint.parseSha256("sha-256 0011:22")).hasMessageContaining("malformed");
        assertThatThrownBy(() -> SdpFingerprint.parseSha256(SDP.substring(8))).hasMessageContaining("<hash-func>");
        assertThatThrownBy(() -> SdpFingerprint.format(new byte[20])).hasMessageContaining("not 20");
    }
}
