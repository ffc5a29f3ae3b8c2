package io.meshlive.media;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.meshlive.testkit.Hex.hex;

class BitReaderTest {
    @Test
    void readsFieldsAcrossByteBoundaries() {
        BitReader r = new BitReader("test", hex("a5 0f f0 12 34 56 78"));
        assertThat(r.u(3)).isEqualTo(0b101);
        assertThat(r.flag()).isFalse();
        assertThat(r.u(12)).isEqualTo(0b0101_0000_1111);
        assertThat(r.u(8)).isEqualTo(0xf0);
        assertThat(r.u32()).isEqualTo(0x12345678L);
        assertThatThrownBy(r::flag).isInstanceOf(MediaFormatException.class);
    }

    @Test
    void readsExpGolombCodes() {
        BitWriter w = new BitWriter();
        int[] values = {0, 1, 2, 3, 7, 255, 65_535, Integer.MAX_VALUE - 1};
        for (int v : values) {
            w.ue(v);
        }
        int[] signed = {0, 1, -1, 2, -2, 1000, -1000, (1 << 30) - 1, -((1 << 30) - 1)};
        for (int v : signed) {
            w.se(v);
        }
        BitReader r = new BitReader("test", w.toBytes());
        for (int v : values) {
            assertThat(r.ue()).isEqualTo(v);
        }
        for (int v : signed) {
            assertThat(r.se()).isEqualTo(v);
        }
    }

    @Test
    void anOverlongCodeIsRejectedNotWrapped() {
        BitReader r = new BitReader("SPS", new BitWriter().u(31, 0).u(32, 1).toBytes());
        assertThatThrownBy(r::ue)
                .isInstanceOf(MediaFormatException.class)
                .hasMessageContaining("SPS: Exp-Golomb code with more than 30 leading zeros");
    }

    @Test
    void runningOutOfBitsNamesTheStructure() {
        BitReader r = new BitReader("AAC config", hex("ff"));
        r.u(5);
        assertThatThrownBy(() -> r.u(4))
                .isInstanceOf(MediaFormatException.class)
                .hasMessage("AAC config truncated: needed 4 more bits at bit 5 of 8");
        assertThatThrownBy(() -> new BitReader("zeros", hex("0000")).ue())
                .isInstanceOf(MediaFormatException.class)
                .hasMessageStartingWith("zeros truncated");
        assertThatThrownBy(() -> new BitReader("record", hex("0102")).bytes(3))
                .isInstanceOf(MediaFormatException.class)
                .hasMessageStartingWith("record truncated");
    }

    @Test
    void rbspDropsEmulationPreventionBytes() {
        // 00 00 03 01 carries 00 00 01; 00 00 03 03 carries 00 00 03; a lone 03 stays.
        BitReader r = BitReader.rbsp("NAL", hex("67 00 00 03 01 00 00 03 03 03 00 03"), 1);
        assertThat(r.bytes(8)).isEqualTo(hex("00 00 01 00 00 03 03 00"));
        assertThat(r.u(8)).isEqualTo(3);
        assertThatThrownBy(r::flag).isInstanceOf(MediaFormatException.class);
    }
}
