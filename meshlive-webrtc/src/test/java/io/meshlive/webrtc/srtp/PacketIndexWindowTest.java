package io.meshlive.webrtc.srtp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PacketIndexWindowTest {
    @Test
    void theFirstPacketStartsTheStreamAtRocZero() {
        assertThat(new PacketIndexWindow().estimateRtpIndex(65000)).isEqualTo(65000);
    }

    @Test
    void aSequenceNumberThatWrappedIsInTheNextRoc() {
        PacketIndexWindow window = windowAt(0x1_FFF0L); // ROC 1, seq 65520

        assertThat(window.estimateRtpIndex(5)).isEqualTo(0x2_0005L);
        assertThat(window.estimateRtpIndex(65530)).isEqualTo(0x1_FFFAL);
        assertThat(window.estimateRtpIndex(40000)).isEqualTo(0x1_9C40L); // not far enough behind to wrap
    }

    @Test
    void aLatePacketFromBeforeTheWrapIsInThePreviousRoc() {
        PacketIndexWindow window = windowAt(0x2_0003L); // ROC 2, seq 3

        assertThat(window.estimateRtpIndex(65534)).isEqualTo(0x1_FFFEL);
        assertThat(window.estimateRtpIndex(10)).isEqualTo(0x2_000AL);
    }

    @Test
    void aPacketFromBeforeRocZeroIsNegative() {
        assertThat(windowAt(3).estimateRtpIndex(65534)).isNegative();
    }

    @Test
    void remembersTheLast64IndicesAndNothingOlder() {
        PacketIndexWindow window = windowAt(100);
        window.record(98);

        assertThat(window.wasSeen(100)).isTrue();
        assertThat(window.wasSeen(98)).isTrue();
        assertThat(window.wasSeen(99)).isFalse();
        assertThat(window.isTooOld(99)).isFalse();
        assertThat(window.isTooOld(37)).isFalse();
        assertThat(window.isTooOld(36)).isTrue();
        assertThat(window.wasSeen(101)).isFalse();

        window.record(163); // slides 63: 100 is now the oldest the window holds
        assertThat(window.wasSeen(100)).isTrue();
        assertThat(window.wasSeen(98)).isFalse();
        assertThat(window.isTooOld(99)).isTrue();

        window.record(1000); // a jump past the whole window forgets everything below it
        assertThat(window.wasSeen(163)).isFalse();
        assertThat(window.wasSeen(1000)).isTrue();
    }

    private static PacketIndexWindow windowAt(long index) {
        PacketIndexWindow window = new PacketIndexWindow();
        window.record(index);
        return window;
    }
}
