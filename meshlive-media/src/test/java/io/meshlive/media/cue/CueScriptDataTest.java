package io.meshlive.media.cue;

import io.meshlive.media.Frame;
import io.meshlive.media.flv.FlvTagBody;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class CueScriptDataTest {
    private static String str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return String.format("02%04x", b.length) + HexFormat.of().formatHex(b);
    }

    private static String key(String s) {
        return String.format("%04x", s.length()) + HexFormat.of().formatHex(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String num(double d) {
        return "00" + String.format("%016x", Double.doubleToLongBits(d));
    }

    @Test
    void onCuePointCarriesThePtsAndTheUtf8PayloadWithByteLengths() {
        String payload = "{\"name\":\"Café ☕\"}";
        Cue cue = new Cue("7", "product", payload, 1_234_567, 1_700_000_000_123L, 5000, true, false);
        String expected = str("onCuePoint") + "03"
                + key("name") + str("product")
                + key("time") + num(1.234567)
                + key("type") + str("event")
                + key("parameters") + "03"
                + key("id") + str("7")
                + key("kind") + str("product")
                + key("payload") + str(payload)
                + key("pts") + num(1234.567)
                + key("ingestTime") + num(1_700_000_000_123.0)
                + key("durationMs") + num(5000)
                + key("sticky") + "0101"
                + key("late") + "0100"
                + "000009" + "000009";
        assertThat(str(payload)).startsWith("020014"); // 20 UTF-8 bytes, 16 characters
        Frame frame = cue.toFrame(ByteBufAllocator.DEFAULT, 0);
        ByteBuf body = FlvTagBody.retainedBody(frame, ByteBufAllocator.DEFAULT);
        try {
            assertThat(FlvTagBody.headerLength(frame)).isZero();
            assertThat(ByteBufUtil.hexDump(body)).isEqualTo(expected);
        } finally {
            body.release();
            frame.release();
        }
    }

    @Test
    void theBinaryFormRoundTrips() {
        Cue cue = new Cue("id-1", "scte35", "{\"a\":\"ü\"}", -5, 9, 0xFFFF_FFFFL, false, true);
        Frame frame = cue.toFrame(ByteBufAllocator.DEFAULT, 0);
        try {
            assertThat(Cue.read(frame.payload())).isEqualTo(cue);
            assertThat(Cue.stickyFlag(frame.payload())).isFalse();
            assertThat(frame.pts()).isEqualTo(-5);
        } finally {
            frame.release();
        }
    }
}
