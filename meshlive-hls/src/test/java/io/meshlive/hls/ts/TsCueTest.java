package io.meshlive.hls.ts;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.cue.Cue;
import io.meshlive.media.cue.CueId3;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class TsCueTest {
    private static final String AVCC = "0142c01effe1" + "0005" + "6742c01eaa" + "01" + "0004" + "68ce3c80";

    @Test
    void aCueIsAnAlignedPrivateStream1PesWithThePtsOfItsFrame() {
        Frame config = Frame.config(Codec.H264, 0, Unpooled.wrappedBuffer(HexFormat.of().parseHex(AVCC)), 0);
        TsMuxer muxer;
        try {
            muxer = new TsMuxer(config, null);
        } finally {
            config.release();
        }
        Cue cue = new Cue("9", "product", "{\"sku\":\"é\"}", 1_000_000, 5, 0, false, false);
        byte[] id3 = CueId3.tag(cue);
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            muxer.writeCue(cue, out);
            assertThat(TsPackets.checkFraming(out)).isEqualTo(1);
            assertThat(out.getUnsignedShort(1) & 0x1FFF).isEqualTo(TsMuxer.METADATA_PID);
            // 90,000 ticks: prefix 0010, then the 33 bits with marker bits
            String pes = "000001bd" + String.format("%04x", 3 + 5 + id3.length) + "84" + "80" + "05" + "210005bf21"
                    + HexFormat.of().formatHex(id3);
            assertThat(HexFormat.of().formatHex(TsPackets.payload(out, TsMuxer.METADATA_PID))).endsWith(pes);
            assertThat(ByteBufUtil.hexDump(out, 0, 4)).isEqualTo("47410230"); // PUSI, adaptation (stuffing) + payload
        } finally {
            out.release();
        }
    }
}
