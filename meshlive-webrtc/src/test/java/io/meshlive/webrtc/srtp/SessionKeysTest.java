package io.meshlive.webrtc.srtp;

import io.meshlive.testkit.Hex;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionKeysTest {
    private static final byte[] MASTER_KEY = Buffers.bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] MASTER_SALT = Buffers.bytes("0EC675AD498AFEEBB6960B3AABE6");

    /** RFC 3711 Appendix B.3: labels 0, 2 and 1 (the RFC lists more of label 1's keystream than HMAC-SHA1 takes). */
    @Test
    void rtpSessionKeysAreRfc3711AppendixB3() {
        SessionKeys keys = SessionKeys.forRtp(SrtpProfile.AES128_CM_HMAC_SHA1_80, MASTER_KEY, MASTER_SALT);

        assertThat(Hex.text(keys.encryptionKey())).isEqualToIgnoringCase("C61E7A93744F39EE10734AFE3FF7A087");
        assertThat(Hex.text(keys.salt())).isEqualToIgnoringCase("30CBBC08863D8C85D49DB34A9AE1");
        assertThat(Hex.text(keys.authenticationKey())).isEqualToIgnoringCase("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4");
    }

    @Test
    void rtcpKeysUseTheirOwnLabels() {
        SessionKeys rtp = SessionKeys.forRtp(SrtpProfile.AES128_CM_HMAC_SHA1_80, MASTER_KEY, MASTER_SALT);
        SessionKeys rtcp = SessionKeys.forRtcp(SrtpProfile.AES128_CM_HMAC_SHA1_80, MASTER_KEY, MASTER_SALT);

        assertThat(rtcp.encryptionKey()).isNotEqualTo(rtp.encryptionKey()).hasSize(16);
        assertThat(rtcp.salt()).isNotEqualTo(rtp.salt()).hasSize(14);
        assertThat(rtcp.authenticationKey()).isNotEqualTo(rtp.authenticationKey()).hasSize(20);
    }

    @Test
    void gcmHasA12ByteSaltAndNoAuthenticationKey() {
        SessionKeys keys = SessionKeys.forRtp(SrtpProfile.AEAD_AES_128_GCM, new byte[16], new byte[12]);

        assertThat(keys.salt()).hasSize(12);
        assertThat(keys.authenticationKey()).isEmpty();
    }

    @Test
    void refusesAMasterKeyOfTheWrongLength() {
        assertThatThrownBy(() -> SessionKeys.forRtp(SrtpProfile.AEAD_AES_128_GCM, MASTER_KEY, MASTER_SALT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("12");
    }
}
