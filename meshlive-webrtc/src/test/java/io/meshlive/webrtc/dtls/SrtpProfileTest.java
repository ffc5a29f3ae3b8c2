package io.meshlive.webrtc.dtls;

import org.junit.jupiter.api.Test;

import static io.meshlive.webrtc.dtls.SrtpProfile.AEAD_AES_128_GCM;
import static io.meshlive.webrtc.dtls.SrtpProfile.AES128_CM_HMAC_SHA1_80;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SrtpProfileTest {
    @Test
    void keyingMaterialIsAKeyAndASaltPerDirection() {
        assertThat(SrtpProfile.keyingMaterialLength(AES128_CM_HMAC_SHA1_80)).isEqualTo(60); // 2 * (16 + 14), RFC 3711
        assertThat(SrtpProfile.keyingMaterialLength(AEAD_AES_128_GCM)).isEqualTo(56);       // 2 * (16 + 12), RFC 7714
        assertThat(SrtpProfile.saltLength(AEAD_AES_128_GCM)).isEqualTo(12);
        assertThat(SrtpProfile.keyLength(AES128_CM_HMAC_SHA1_80)).isEqualTo(16);
    }

    @Test
    void ourPreferenceDecidesAmongWhatThePeerOffers() {
        int[] gcmFirst = {AEAD_AES_128_GCM, AES128_CM_HMAC_SHA1_80};
        assertThat(SrtpProfile.choose(gcmFirst, new int[] {0x0002, AES128_CM_HMAC_SHA1_80, AEAD_AES_128_GCM})).isEqualTo(AEAD_AES_128_GCM);
        assertThat(SrtpProfile.choose(new int[] {AES128_CM_HMAC_SHA1_80, AEAD_AES_128_GCM}, gcmFirst)).isEqualTo(AES128_CM_HMAC_SHA1_80);
        assertThat(SrtpProfile.choose(gcmFirst, new int[] {0x0002, 0x0008})).isEqualTo(-1);
    }

    @Test
    void unsupportedProfilesAreRejected() {
        assertThat(SrtpProfile.isSupported(0x0002)).isFalse();
        assertThatThrownBy(() -> SrtpProfile.keyingMaterialLength(0x0008)).hasMessageContaining("0x8");
    }
}
