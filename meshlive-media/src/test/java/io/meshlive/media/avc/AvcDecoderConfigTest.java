package io.meshlive.media.avc;

import io.meshlive.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import static io.meshlive.media.TestMedia.buffer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static io.meshlive.testkit.Hex.hex;

class AvcDecoderConfigTest {
    /**
     * The avcC x264 wrote into {@code flv/h264_aac.flv} (320x180 High 1.2, 25 fps per ffprobe),
     * with the High-profile tail (chroma format, bit depths, no SPS extensions).
     */
    static final String X264_AVCC = "0164000cffe1001a6764000cacd941419f9f011000000300100000030320f142996001000668eae0c4b22cfdf8f800";

    @Test
    void parsesTheRecordX264Wrote() {
        ByteBuf record = buffer(X264_AVCC);
        try {
            AvcDecoderConfig config = AvcDecoderConfig.parse(record);
            assertThat(config.profile()).isEqualTo(100);
            assertThat(config.compatibility()).isEqualTo(0);
            assertThat(config.level()).isEqualTo(12);
            assertThat(config.nalLengthSize()).isEqualTo(4);
            assertThat(config.sps()).containsExactly(hex("6764000cacd941419f9f011000000300100000030320f1429960"));
            assertThat(config.pps()).containsExactly(hex("68eae0c4b22c"));
            assertThat(record.readerIndex()).as("indices untouched").isZero();

            AvcSps sps = AvcSps.parse(config.sps().get(0));
            assertThat(sps.width()).isEqualTo(320);
            assertThat(sps.height()).isEqualTo(180);
            assertThat(sps.frameRate()).isEqualTo(25.0);
        } finally {
            record.release();
        }
    }

    @Test
    void everyPrefixParsesOrThrowsMediaFormatException() {
        byte[] whole = hex(X264_AVCC);
        for (int length = 0; length < whole.length; length++) {
            ByteBuf prefix = buffer(whole).writerIndex(length);
            try {
                Throwable thrown = catchThrowable(() -> AvcDecoderConfig.parse(prefix));
                assertThat(thrown).as("prefix of %d bytes", length).satisfiesAnyOf(
                        t -> assertThat(t).isNull(),
                        t -> assertThat(t).isInstanceOf(MediaFormatException.class));
            } finally {
                prefix.release();
            }
        }
    }

    @Test
    void aLyingCountRunsOutOfBytesInsteadOfAllocating() {
        // Claims 31 SPSs of 65535 bytes each behind a 12-byte record.
        ByteBuf record = buffer("0164000cffff ffff 00000000");
        try {
            assertThatThrownBy(() -> AvcDecoderConfig.parse(record))
                    .isInstanceOf(MediaFormatException.class)
                    .hasMessageStartingWith("AVC decoder config truncated");
        } finally {
            record.release();
        }
    }

    @Test
    void rejectsAThreeByteNalLength() {
        ByteBuf record = buffer("0164000cfee0 00");
        try {
            assertThatThrownBy(() -> AvcDecoderConfig.parse(record))
                    .isInstanceOf(MediaFormatException.class)
                    .hasMessageContaining("NAL length size 3");
        } finally {
            record.release();
        }
    }

    @Test
    void rejectsOtherVersions() {
        ByteBuf record = buffer("0264000cffe000");
        try {
            assertThatThrownBy(() -> AvcDecoderConfig.parse(record))
                    .isInstanceOf(MediaFormatException.class)
                    .hasMessageContaining("configurationVersion 2");
        } finally {
            record.release();
        }
    }
}
