package io.meshlive.media.fmp4;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.cue.Cue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.meshlive.media.fmp4.BoxBytes.first;
import static io.meshlive.testkit.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

/** Boxes pinned to bytes computed by hand from ISO/IEC 14496-12 and 14496-14. */
class Fmp4BytesTest {
    @Test
    void ftypNamesCmafBrands() {
        ByteBuf out = Unpooled.buffer();
        try {
            Fmp4Init.ftyp(out);
            assertThat(ByteBufUtil.getBytes(out)).isEqualTo(hex("""
                    00000020 66747970
                    69736f36 00000000
                    69736f36 636d6663 6d703431 64617368
                    """)); // size 32, "ftyp", major iso6, minor 0, iso6 cmfc mp41 dash
        } finally {
            out.release();
        }
    }

    @Test
    void esdsWrapsTheAudioSpecificConfig() {
        Frame asc = Frame.config(Codec.AAC, 0, Unpooled.wrappedBuffer(hex("1210")), 0); // LC, 44.1 kHz, stereo
        ByteBuf out = Unpooled.buffer();
        try {
            Fmp4Init.write(null, asc, out);
            assertThat(first(out, "esds")).isEqualTo(hex("""
                    00000027 65736473 00000000
                    03 19 0002 00
                      04 11 40 15 000000 00000000 00000000
                        05 02 1210
                      06 01 02
                    """));
            assertThat(first(out, "mdhd")).containsSequence(hex("0000ac44")); // timescale 44100
            assertThat(first(out, "mp4a")).containsSequence(hex("0002 0010 0000 0000 ac440000")); // 2 ch, 16 bit, 44100.0
        } finally {
            out.release();
            asc.release();
        }
    }

    @Test
    void tfdtAndTrunDescribeTheRun() {
        // dts 1.00 s, 1.04 s, 1.08 s; the third has pts before dts, which version 1 allows.
        List<Frame> video = List.of(
                video(1_000_000, 1_080_000, true, "0000000165"),
                video(1_040_000, 1_200_000, false, "000041"),
                video(1_080_000, 1_040_000, false, "00000001"));
        ByteBuf out = Unpooled.buffer();
        try {
            Fmp4Fragment.write(7, video, 1_120_000, SampleClock.video(), List.of(), Fmp4Fragment.ONE_FRAME_ON, null, List.of(), out);
            assertThat(first(out, "mfhd")).isEqualTo(hex("00000010 6d666864 00000000 00000007"));
            assertThat(first(out, "tfhd")).isEqualTo(hex("00000010 74666864 00020000 00000001"));
            assertThat(first(out, "tfdt")).isEqualTo(hex("00000014 74666474 01000000 0000000000015f90")); // 90000
            // moof = 8 + mfhd 16 + traf (8 + tfhd 16 + tfdt 20 + trun 68) = 136; samples start 8 bytes later.
            assertThat(first(out, "trun")).isEqualTo(hex("""
                    00000044 7472756e 01000f01 00000003 00000090
                    00000e10 00000005 02000000 00001c20
                    00000e10 00000003 01010000 00003840
                    00000e10 00000004 01010000 fffff1f0
                    """));
            assertThat(first(out, "moof")).hasSize(136);
            assertThat(first(out, "mdat")).isEqualTo(hex("00000014 6d646174 0000000165 000041 00000001"));
            byte[] prft = first(out, "prft");
            assertThat(prft).startsWith(hex("00000020 70726674 01000000 00000001"));
            assertThat(Arrays.copyOfRange(prft, 24, 32)).isEqualTo(hex("0000000000015f90"));
        } finally {
            out.release();
            video.forEach(Frame::release);
        }
    }

    @Test
    void audioRunsUseTheSampleRateAndTheTrexFlags() {
        List<Frame> audio = List.of(
                Frame.media(Codec.AAC, 0, 0, true, Unpooled.wrappedBuffer(hex("21")), 0),
                Frame.media(Codec.AAC, 23_220, 23_220, true, Unpooled.wrappedBuffer(hex("2122")), 0));
        Frame asc = Frame.config(Codec.AAC, 0, Unpooled.wrappedBuffer(hex("1210")), 0); // LC, 44.1 kHz, stereo
        ByteBuf out = Unpooled.buffer();
        try {
            Fmp4Fragment.write(1, List.of(), Fmp4Fragment.ONE_FRAME_ON, SampleClock.video(), audio, 46_440, SampleClock.of(asc), List.of(), out);
            // ticks: 0, floor(23220 * 44100 / 1e6) = 1024, floor(46440 * 0.0441) = 2048; audio is track 2.
            assertThat(first(out, "tfhd")).isEqualTo(hex("00000010 74666864 00020000 00000002"));
            assertThat(first(out, "trun")).isEqualTo(hex("""
                    00000024 7472756e 01000301 00000002 00000070
                    00000400 00000001
                    00000400 00000002
                    """)); // moof = 8 + 16 + (8 + 16 + 20 + 36) = 104 = 0x68, + 8 = 0x70
        } finally {
            out.release();
            asc.release();
            audio.forEach(Frame::release);
        }
    }

    @Test
    void aCueIsPresentedWhereTheClockPlacedItsFrameNotAtItsMillisecondTime() {
        // 30 fps with millisecond timestamps: 0, 33, 67, 100 ms sit on the grid at 0, 3000, 6000, 9000
        // ticks; the cue on the 67 ms frame is at 6000, not at 67 ms = 6030 ticks.
        List<Frame> video = List.of(
                video(0, 0, true, "0000000165"),
                video(33_000, 33_000, false, "000041"),
                video(67_000, 67_000, false, "000042"),
                video(100_000, 100_000, false, "000043"));
        Cue cue = new Cue("5", "product", "{}", 67_000, 0, 0, false, false);
        ByteBuf out = Unpooled.buffer();
        try {
            Fmp4Fragment.write(1, video, 133_000, SampleClock.video(), List.of(), Fmp4Fragment.ONE_FRAME_ON, null, List.of(cue), out);
            byte[] emsg = first(out, "emsg");
            assertThat(Arrays.copyOfRange(emsg, 16, 24)).isEqualTo(hex("0000000000001770")); // presentation_time 6000
            assertThat(out.getInt(4)).as("the emsg comes first").isEqualTo(0x656d7367);
        } finally {
            out.release();
            video.forEach(Frame::release);
        }
    }

    private static Frame video(long dts, long pts, boolean key, String payload) {
        return Frame.media(Codec.H264, dts, pts, key, Unpooled.wrappedBuffer(hex(payload)), 0);
    }
}
