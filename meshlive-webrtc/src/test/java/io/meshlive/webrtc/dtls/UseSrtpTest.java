package io.meshlive.webrtc.dtls;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UseSrtpTest {
    private static final int CM = 0x0001;
    private static final int GCM = 0x0007;

    @Test
    void ourPreferenceDecidesAmongWhatThePeerOffers() {
        int[] gcmFirst = {GCM, CM};
        assertThat(UseSrtp.choose(gcmFirst, new int[] {0x0002, CM, GCM})).isEqualTo(GCM);
        assertThat(UseSrtp.choose(new int[] {CM, GCM}, gcmFirst)).isEqualTo(CM);
        assertThat(UseSrtp.choose(gcmFirst, new int[] {0x0002, 0x0008})).isEqualTo(-1);
    }

    @Test
    void onlyTheProfilesSrtpImplementsAreSupported() {
        assertThat(UseSrtp.isSupported(CM)).isTrue();
        assertThat(UseSrtp.isSupported(GCM)).isTrue();
        assertThat(UseSrtp.isSupported(0x0002)).isFalse();
    }
}
