package io.meshlive.media.cue;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class CueId3Test {
    @Test
    void oneUtf8TxxxFrameWithSyncsafeSizesCountedInBytes() {
        Cue cue = new Cue("3", "product", "{\"t\":\"价格 €\"}", 2_000_000, 1_700_000_000_000L, 0, false, false);
        String json = "{\"id\":\"3\",\"kind\":\"product\",\"payload\":{\"t\":\"价格 €\"},\"pts\":2000.0,"
                + "\"ingestTime\":1700000000000,\"durationMs\":0,\"sticky\":false,\"late\":false}";
        assertThat(CueJson.of(cue)).isEqualTo(json);
        byte[] value = json.getBytes(StandardCharsets.UTF_8);
        assertThat(value.length).isGreaterThan(json.length()); // the sizes below count bytes, not characters
        int frameBody = 1 + "meshlive.cue".length() + 1 + value.length;
        String expected = "494433" + "0400" + "00" + syncsafe(10 + frameBody)
                + "54585858" + syncsafe(frameBody) + "0000"
                + "03" + HexFormat.of().formatHex("meshlive.cue".getBytes(StandardCharsets.US_ASCII)) + "00"
                + HexFormat.of().formatHex(value);
        assertThat(HexFormat.of().formatHex(CueId3.tag(cue))).isEqualTo(expected);
    }

    @Test
    void syncsafeSizesSkipTheTopBitOfEachByte() {
        Cue cue = new Cue("1", "k", "\"" + "x".repeat(200) + "\"", 0, 0, 0, false, false);
        byte[] tag = CueId3.tag(cue);
        int frameBody = tag.length - 20;
        assertThat(HexFormat.of().formatHex(tag, 14, 18)).isEqualTo(syncsafe(frameBody));
        assertThat(frameBody).isGreaterThan(127);
        assertThat((tag[14] | tag[15] | tag[16] | tag[17]) & 0x80).isZero();
    }

    @Test
    void jsonStringsAreEscaped() {
        Cue cue = new Cue("a\"b", "k\n", "{}", 0, 0, 0, true, true);
        assertThat(CueJson.of(cue)).startsWith("{\"id\":\"a\\\"b\",\"kind\":\"k\\u000a\",\"payload\":{}");
    }

    private static String syncsafe(int n) {
        return String.format("%02x%02x%02x%02x", n >> 21 & 0x7F, n >> 14 & 0x7F, n >> 7 & 0x7F, n & 0x7F);
    }
}
