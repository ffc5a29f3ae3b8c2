package io.meshlive.webrtc.srtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SrtpKeysTest {
    /** 16-byte keys and 14-byte salts, each byte numbering its position: client key 0-15, server key 16-31, client salt 32-45, server salt 46-59. */
    private static final byte[] MATERIAL = numbered(60);

    @Test
    void aDtlsServerSendsWithTheServerWriteKey() {
        SrtpKeys keys = SrtpKeys.fromDtlsKeyingMaterial(SrtpProfile.AES128_CM_HMAC_SHA1_80, MATERIAL, true);

        assertThat(keys.localKey()).startsWith(16).endsWith(31);
        assertThat(keys.localSalt()).startsWith(46).endsWith(59);
        assertThat(keys.remoteKey()).startsWith(0).endsWith(15);
        assertThat(keys.remoteSalt()).startsWith(32).endsWith(45);
    }

    @Test
    void aDtlsClientSendsWithTheClientWriteKey() {
        SrtpKeys keys = SrtpKeys.fromDtlsKeyingMaterial(SrtpProfile.AEAD_AES_128_GCM, numbered(56), false);

        assertThat(keys.localKey()).startsWith(0).endsWith(15);
        assertThat(keys.remoteKey()).startsWith(16).endsWith(31);
        assertThat(keys.localSalt()).startsWith(32).endsWith(43);
        assertThat(keys.remoteSalt()).startsWith(44).endsWith(55);
    }

    @Test
    void refusesMaterialOfTheWrongLength() {
        assertThatThrownBy(() -> SrtpKeys.fromDtlsKeyingMaterial(SrtpProfile.AEAD_AES_128_GCM, MATERIAL, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("56");
    }

    @Test
    void keysStayOutOfToString() {
        SrtpKeys keys = SrtpKeys.fromDtlsKeyingMaterial(SrtpProfile.AES128_CM_HMAC_SHA1_80, MATERIAL, true);

        assertThat(keys.toString()).isEqualTo("SrtpKeys[AES128_CM_HMAC_SHA1_80]");
    }

    @Test
    void profilesAreFoundByTheirUseSrtpNumber() {
        assertThat(SrtpProfile.byId(0x0001)).isEqualTo(SrtpProfile.AES128_CM_HMAC_SHA1_80);
        assertThat(SrtpProfile.byId(0x0007)).isEqualTo(SrtpProfile.AEAD_AES_128_GCM);
        assertThat(SrtpProfile.byId(0x0002)).isNull();
        assertThat(SrtpProfile.AEAD_AES_128_GCM.rtcpTrailerLength()).isEqualTo(20);
        assertThat(SrtpProfile.AES128_CM_HMAC_SHA1_80.rtcpTrailerLength()).isEqualTo(14);
    }

    private static byte[] numbered(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }
}
