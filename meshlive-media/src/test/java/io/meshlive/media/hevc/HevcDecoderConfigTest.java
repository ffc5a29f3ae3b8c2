package io.meshlive.media.hevc;

import io.meshlive.media.BitWriter;
import io.meshlive.media.MediaFormatException;
import io.meshlive.media.TestMedia;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import static io.meshlive.media.TestMedia.buffer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static io.meshlive.testkit.Hex.hex;

class HevcDecoderConfigTest {
    /**
     * The hvcC ffmpeg 5.1 wrote for libx265 3.5, 320x180 (coded 320x184), Main, level 2 (idc 60)
     * per ffprobe; its fourth array is x265's 2 KB "user data unregistered" SEI.
     */
    private static final byte[] X265_HVCC = TestMedia.resource(HevcDecoderConfigTest.class, "hevc_320x180.hvcC");

    @Test
    void parsesTheRecordFfmpegWrote() {
        ByteBuf record = buffer(X265_HVCC);
        try {
            HevcDecoderConfig config = HevcDecoderConfig.parse(record);
            assertThat(config.profileIdc()).isEqualTo(1);
            assertThat(config.highTier()).isFalse();
            assertThat(config.levelIdc()).isEqualTo(60);
            assertThat(config.nalLengthSize()).isEqualTo(4);
            assertThat(config.vps()).singleElement().satisfies(vps -> assertThat(vps).hasSize(24).startsWith(0x40, 0x01));
            assertThat(config.sps()).singleElement().satisfies(sps -> assertThat(sps).hasSize(43).startsWith(0x42, 0x01));
            assertThat(config.pps()).singleElement().satisfies(pps -> assertThat(pps).hasSize(7).startsWith(0x44, 0x01));
            assertThat(config.width()).isEqualTo(320);
            assertThat(config.height()).isEqualTo(180);
            assertThat(record.readerIndex()).as("indices untouched").isZero();
        } finally {
            record.release();
        }
    }

    @Test
    void everyPrefixParsesOrThrowsMediaFormatException() {
        for (int length = 0; length < X265_HVCC.length; length++) {
            ByteBuf prefix = buffer(X265_HVCC).writerIndex(length);
            try {
                Throwable thrown = catchThrowable(() -> HevcDecoderConfig.parse(prefix));
                assertThat(thrown).as("prefix of %d bytes", length).satisfiesAnyOf(
                        t -> assertThat(t).isNull(),
                        t -> assertThat(t).isInstanceOf(MediaFormatException.class));
            } finally {
                prefix.release();
            }
        }
    }

    @Test
    void aRecordWithoutSpsIsRejected() {
        ByteBuf record = buffer("01 01 60000000 900000000000 3c f000 fc fd f8 f8 0000 0f 00");
        try {
            assertThatThrownBy(() -> HevcDecoderConfig.parse(record))
                    .isInstanceOf(MediaFormatException.class)
                    .hasMessage("HEVC decoder config has no SPS");
        } finally {
            record.release();
        }
    }

    @Test
    void aLyingNalCountRunsOutOfBytes() {
        ByteBuf record = buffer("01 01 60000000 900000000000 3c f000 fc fd f8 f8 0000 0f 01 a1 ffff 0001 42");
        try {
            assertThatThrownBy(() -> HevcDecoderConfig.parse(record))
                    .isInstanceOf(MediaFormatException.class)
                    .hasMessageStartingWith("HEVC decoder config truncated");
        } finally {
            record.release();
        }
    }

    @Test
    void spsWithTemporalSubLayers() {
        // x265 --temporal-layers: sps_max_sub_layers_minus1 = 1, 352x288 Main level 2 per ffprobe.
        HevcSps sps = HevcSps.parse(hex("42010201600000030090000003000003003c0000a00b080485965662b349265780b4040000030004000003007820"));
        assertThat(sps).isEqualTo(new HevcSps(1, 60, 1, 352, 288));
    }

    @Test
    void spsWithSubLayerProfilesAndLevels() {
        BitWriter rbsp = new BitWriter()
                .u(4, 0).u(3, 2).flag(true) // vps id, max_sub_layers_minus1 = 2, temporal id nesting
                .u(2, 0).flag(true).u(5, 4).u(32, 1L << 27).u(48, 0).u(8, 153) // general: high tier RExt, level 5.1
                .flag(true).flag(true) // sub-layer 0: profile and level
                .flag(false).flag(true) // sub-layer 1: level only
                .u(12, 0) // reserved_zero_2bits for sub-layers 2..7
                .u(2, 0).flag(false).u(5, 4).u(32, 1L << 27).u(48, 0) // sub-layer 0 profile
                .u(8, 120) // sub-layer 0 level
                .u(8, 123) // sub-layer 1 level
                .ue(0).ue(2) // sps id, 4:2:2
                .ue(1928).ue(1088)
                .flag(true).ue(0).ue(4).ue(0).ue(8); // conformance window: 2 x 4 columns, 8 rows
        byte[] escaped = BitWriter.escape(rbsp.toRbsp());
        byte[] nal = new byte[escaped.length + 2];
        nal[0] = 0x42;
        nal[1] = 0x01;
        System.arraycopy(escaped, 0, nal, 2, escaped.length);

        assertThat(HevcSps.parse(nal)).isEqualTo(new HevcSps(4, 153, 2, 1920, 1080));
    }

    @Test
    void spsRejectsEightSubLayers() {
        assertThatThrownBy(() -> HevcSps.parse(hex("42010e01")))
                .isInstanceOf(MediaFormatException.class)
                .hasMessageContaining("sps_max_sub_layers_minus1 7");
    }
}
