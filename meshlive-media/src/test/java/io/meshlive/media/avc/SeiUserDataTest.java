package io.meshlive.media.avc;

import io.meshlive.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeiUserDataTest {
    private static final String UUID = "6d6573686c6976652d637565000001"; // "meshlive-cue" 00 00 01: 15 bytes, one more below
    private static final byte[] MINE = HexFormat.of().parseHex(UUID + "ff");
    private static final byte[] OTHER = HexFormat.of().parseHex("dc45e9bde6d948b7962cd820d923eeef"); // x264's

    private static ByteBuf frame(String... nals) {
        StringBuilder hex = new StringBuilder();
        for (String nal : nals) {
            hex.append(String.format("%08x", nal.length() / 2)).append(nal);
        }
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex.toString()));
    }

    @Test
    void findsOurUserDataAmongOtherSeiAndUndoesEmulationPrevention() {
        String text = HexFormat.of().formatHex("{\"sku\":1}".getBytes(StandardCharsets.UTF_8));
        // payload: UUID (with 00 00 01 inside, escaped as 00 00 03 01 in the NAL) + text
        String mine = "05" + String.format("%02x", 16 + text.length() / 2) + UUID.replace("000001", "00000301") + "ff" + text;
        String x264 = "05" + "12" + HexFormat.of().formatHex(OTHER) + "6869";
        ByteBuf f = frame("0605" + "01" + "ab" + x264 + mine + "80", "65" + "8884");
        try {
            List<byte[]> found = SeiUserData.find(f, MINE);
            assertThat(found).hasSize(1);
            assertThat(new String(found.get(0), StandardCharsets.UTF_8)).isEqualTo("{\"sku\":1}");
            assertThat(SeiUserData.find(f, OTHER)).extracting(b -> new String(b, StandardCharsets.US_ASCII)).containsExactly("hi");
        } finally {
            f.release();
        }
    }

    @Test
    void framesWithoutSeiCostNothingAndBrokenSeiIsAnError() {
        ByteBuf plain = frame("65" + "8884", "41" + "9a");
        ByteBuf broken = frame("06" + "05" + "40" + "0102");
        try {
            assertThat(SeiUserData.find(plain, MINE)).isEmpty();
            assertThatThrownBy(() -> SeiUserData.find(broken, MINE)).isInstanceOf(MediaFormatException.class);
        } finally {
            plain.release();
            broken.release();
        }
    }
}
