package io.meshlive.bench.publish;

import io.meshlive.media.avc.AvcSps;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AvcConfigTest {
    @Test
    void spsDescribesThePictureSizeAndALevelThatFits() {
        AvcSps hd = AvcSps.parse(AvcConfig.sps(new VideoSize(1280, 720), 30));
        assertThat(hd.width()).isEqualTo(1280);
        assertThat(hd.height()).isEqualTo(720);
        assertThat(hd.profileIdc()).isEqualTo(66);
        assertThat(hd.levelIdc()).isEqualTo(31);

        AvcSps cropped = AvcSps.parse(AvcConfig.sps(new VideoSize(1920, 1080), 60));
        assertThat(cropped.width()).isEqualTo(1920);
        assertThat(cropped.height()).as("1088 coded rows cropped to 1080").isEqualTo(1080);
        assertThat(cropped.levelIdc()).isEqualTo(42);
    }

    @Test
    void ppsIsTheUsualBaselineOne() {
        assertThat(AvcConfig.pps()).containsExactly(0x68, 0xCE, 0x3C, 0x80);
    }

    @Test
    void recordCarriesOneSpsAndOnePpsWithFourByteLengths() {
        byte[] sps = AvcConfig.sps(new VideoSize(640, 360), 30);
        byte[] record = AvcConfig.record(new VideoSize(640, 360), 30);
        assertThat(record[0]).isEqualTo((byte) 1);
        assertThat(record[1]).isEqualTo((byte) 66);
        assertThat(record[4] & 0x03).as("lengthSizeMinusOne").isEqualTo(3);
        assertThat(record[5] & 0x1F).as("SPS count").isEqualTo(1);
        assertThat(record).hasSize(6 + 2 + sps.length + 1 + 2 + 4);
    }
}
