package io.meshlive.media.avc;

import io.meshlive.media.BitWriter;
import io.meshlive.media.MediaFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;
import static io.meshlive.testkit.Hex.hex;

/**
 * SPSs written by x264 (through ffmpeg 5.1), with the values ffprobe reports for the streams they
 * came from; the last two were edited bit by bit for cases x264 does not produce, and ffprobe
 * still decodes the streams with them.
 */
class AvcSpsTest {
    /** 1280x720 High 3.1, 30 fps: the most common live SPS. */
    static final String HIGH_720P = "6764001facd9405005bb0110000003001000000303c0f1831960";

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // name,                sps,                                                         profile, level, chroma, width, height, fps
            "high 720p,             " + HIGH_720P + ",                                             100, 31, 1, 1280, 720, 30",
            "interlaced PAL,        6764001eacd940b424d8088000000300800000190f8a14cb,               100, 30, 1, 720, 576, 25",
            "4:4:4 with cropping,   67f4000d919b282a10f1f1f808800001f480007530078a14cb,             244, 13, 3, 322, 242, 29.97002997",
            "constrained baseline,  6742c00ad902c4ec0440000003004000000783c48992,                   66, 10, 1, 176, 144, 15",
            "4:2:2 10-bit 1080p,    677a0028b6cd940780227e27011000000300100000030300f1831960,       122, 40, 2, 1920, 1080, 24",
            "320x180 cropped,       6764000cacd941419f9f011000000300100000030320f1429960,           100, 12, 1, 320, 180, 25",
            "scaling matrix,        6764001fad9470e1c3870e1c3870e1c3870e1d0881b280a00b760220000003002000000781e30632c0, 100, 31, 1, 1280, 720, 30",
            "no VUI,                6742c00ad902c4e4,                                               66, 10, 1, 176, 144, 0",
    })
    void parsesWhatFfprobeReports(String name, String sps, int profile, int level, int chroma, int width, int height, double fps) {
        AvcSps parsed = AvcSps.parse(hex(sps));
        assertThat(parsed.profileIdc()).isEqualTo(profile);
        assertThat(parsed.levelIdc()).isEqualTo(level);
        assertThat(parsed.chromaFormatIdc()).isEqualTo(chroma);
        assertThat(parsed.width()).isEqualTo(width);
        assertThat(parsed.height()).isEqualTo(height);
        assertThat(parsed.frameRate()).isCloseTo(fps, within(1e-6));
    }

    @Test
    void everyPrefixParsesOrThrowsMediaFormatException() {
        byte[] sps = hex(HIGH_720P);
        for (int length = 0; length < sps.length; length++) {
            byte[] prefix = Arrays.copyOf(sps, length);
            Throwable thrown = catchThrowable(() -> AvcSps.parse(prefix));
            assertThat(thrown).as("prefix of %d bytes", length).satisfiesAnyOf(
                    t -> assertThat(t).isNull(),
                    t -> assertThat(t).isInstanceOf(MediaFormatException.class));
        }
    }

    @Test
    void truncationNamesTheStructure() {
        assertThatThrownBy(() -> AvcSps.parse(hex("6764001fac")))
                .isInstanceOf(MediaFormatException.class)
                .hasMessageStartingWith("AVC SPS truncated");
    }

    @Test
    void rejectsOtherNalUnits() {
        assertThatThrownBy(() -> AvcSps.parse(hex("68ebe3cb22c0")))
                .isInstanceOf(MediaFormatException.class)
                .hasMessageContaining("NAL unit type 8");
    }

    @Test
    void rejectsCroppingLargerThanThePicture() {
        byte[] rbsp = new BitWriter()
                .u(8, 66).u(8, 0).u(8, 30)
                .ue(0).ue(0).ue(2).ue(1).flag(false)
                .ue(19).ue(14) // 320x240
                .flag(true).flag(false)
                .flag(true).ue(100).ue(100).ue(0).ue(0) // crops 400 columns
                .flag(false)
                .toRbsp();
        assertThatThrownBy(() -> AvcSps.parse(spsNal(rbsp)))
                .isInstanceOf(MediaFormatException.class)
                .hasMessageContaining("implausible size -80x240");
    }

    @Test
    void rejectsAnOverlongPicOrderCycleBeforeLoopingOverIt() {
        byte[] rbsp = new BitWriter()
                .u(8, 66).u(8, 0).u(8, 30)
                .ue(0).ue(0).ue(1).flag(false).se(0).se(0).ue(100_000)
                .toRbsp();
        assertThatThrownBy(() -> AvcSps.parse(spsNal(rbsp)))
                .isInstanceOf(MediaFormatException.class)
                .hasMessageContaining("num_ref_frames_in_pic_order_cnt_cycle 100000 above 255");
    }

    private static byte[] spsNal(byte[] rbsp) {
        byte[] escaped = BitWriter.escape(rbsp);
        byte[] nal = new byte[escaped.length + 1];
        nal[0] = 0x67;
        System.arraycopy(escaped, 0, nal, 1, escaped.length);
        return nal;
    }
}
