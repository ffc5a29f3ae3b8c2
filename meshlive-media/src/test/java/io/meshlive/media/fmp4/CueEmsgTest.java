package io.meshlive.media.fmp4;

import io.meshlive.media.cue.Cue;
import io.meshlive.media.cue.CueId3;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class CueEmsgTest {
    private static String hex(String ascii) {
        return HexFormat.of().formatHex(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void anOrdinaryCueIsAVersion1EmsgWithItsId3TagUnderTheAomScheme() {
        Cue cue = new Cue("12", "product", "{\"sku\":1}", 2_000_000, 0, 1500, false, false);
        byte[] id3 = CueId3.tag(cue);
        String body = "01000000" // version 1, flags 0
                + "00015f90" // timescale 90 kHz
                + "000000000002bf20" // presentation_time: 2 s
                + "00020f58" // event_duration: 1.5 s
                + "0000000c" // id 12
                + hex("https://aomedia.org/emsg/ID3") + "00" + "00" // scheme_id_uri, value ""
                + HexFormat.of().formatHex(id3);
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            CueEmsg.write(cue, Timescale.ticks(cue.ptsMicros(), Timescale.VIDEO), out);
            assertThat(ByteBufUtil.hexDump(out)).isEqualTo(String.format("%08x", 8 + body.length() / 2) + hex("emsg") + body);
        } finally {
            out.release();
        }
    }

    @Test
    void anScte35CueCarriesItsSpliceSectionUnderTheScteScheme() {
        String splice = "fc301100000000000000fff000000000aabbccdd";
        Cue cue = new Cue("x", "scte35", "{\"splice\":\"0x" + splice + "\",\"out\":true}", 90_000_000, 0, 0, false, false);
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            CueEmsg.write(cue, Timescale.ticks(cue.ptsMicros(), Timescale.VIDEO), out);
            String dump = ByteBufUtil.hexDump(out);
            assertThat(dump.substring(24, 24 + 8 + 16 + 8)).isEqualTo("00015f90" + String.format("%016x", 8_100_000L) + "ffffffff");
            assertThat(dump).endsWith(hex("urn:scte:scte35:2013:bin") + "00" + "00" + splice);
        } finally {
            out.release();
        }
    }
}
