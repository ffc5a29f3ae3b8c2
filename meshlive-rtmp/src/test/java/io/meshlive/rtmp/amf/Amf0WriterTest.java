package io.meshlive.rtmp.amf;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.meshlive.rtmp.amf.Bytes.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.meshlive.testkit.Hex.hex;

class Amf0WriterTest {
    @Test
    void scalars() {
        assertThat(written(out -> Amf0Writer.writeNumber(out, 1.0))).isEqualTo(hex("00 3ff0000000000000"));
        assertThat(written(out -> Amf0Writer.writeBoolean(out, true))).isEqualTo(hex("01 01"));
        assertThat(written(out -> Amf0Writer.writeBoolean(out, false))).isEqualTo(hex("01 00"));
        assertThat(written(out -> Amf0Writer.writeNull(out))).isEqualTo(hex("05"));
        assertThat(written(out -> Amf0Writer.writeUndefined(out))).isEqualTo(hex("06"));
        assertThat(written(out -> Amf0Writer.writeDate(out, Instant.ofEpochMilli(1_700_000_000_000L))))
                .isEqualTo(hex("0b 4278bcfe56800000 0000"));
        assertThat(written(out -> Amf0Writer.writeString(out, "直播"))).isEqualTo(hex("02 0006 e79bb4e692ad"));
    }

    @Test
    void genericWriteDispatchesOnJavaType() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("n", 7L);
        assertThat(written(out -> Amf0Writer.writeAll(out, 2, true, "a", null, Amf0Reader.UNDEFINED, object,
                List.of(1.5f), Instant.EPOCH)))
                .isEqualTo(hex(
                        "00 4000000000000000",
                        "01 01",
                        "02 0001 61",
                        "05",
                        "06",
                        "03 0001 6e 00 401c000000000000 0000 09",
                        "0a 00000001 00 3ff8000000000000",
                        "0b 0000000000000000 0000"));
    }

    @Test
    void longStringAbove65535Utf8Bytes() {
        String fits = "é".repeat(32767) + "a"; // 65535 bytes, 32768 chars
        String tooLong = "é".repeat(32768); // 65536 bytes

        assertThat(head(written(out -> Amf0Writer.writeString(out, fits)), 3)).isEqualTo(hex("02 ffff"));
        assertThat(head(written(out -> Amf0Writer.writeString(out, tooLong)), 5)).isEqualTo(hex("0c 00010000"));
        assertThat(written(out -> Amf0Writer.writeString(out, tooLong))).hasSize(5 + 65536);
    }

    @Test
    void ecmaArrayCountsItsEntries() {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("a", null);
        members.put("b", null);
        assertThat(written(out -> Amf0Writer.writeEcmaArray(out, members)))
                .isEqualTo(hex("08 00000002  0001 61 05  0001 62 05  0000 09"));
    }

    @Test
    void refusesWhatItCannotWrite() {
        assertThatThrownBy(() -> written(out -> Amf0Writer.write(out, new byte[1])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[B");
        assertThatThrownBy(() -> written(out -> Amf0Writer.write(out, Map.of(1, "a"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a String");
        assertThatThrownBy(() -> written(out -> Amf0Writer.writeObject(out, Map.of("k".repeat(65536), 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65535");
        assertThatThrownBy(() -> written(out -> Amf0Writer.writeDate(out, Instant.MAX)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("range");
    }

    @Test
    void nestingIsBoundedLikeTheReader() {
        assertThat(written(out -> Amf0Writer.write(out, nestedLists(Amf0Reader.MAX_DEPTH)))).isNotEmpty();
        assertThatThrownBy(() -> written(out -> Amf0Writer.write(out, nestedLists(Amf0Reader.MAX_DEPTH + 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested too deep");
    }

    @Test
    void cyclicMapIsRefusedNotAStackOverflow() {
        Map<String, Object> cyclic = new LinkedHashMap<>();
        cyclic.put("self", cyclic);
        assertThatThrownBy(() -> written(out -> Amf0Writer.write(out, cyclic)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested too deep");
    }

    static List<Object> nestedLists(int depth) {
        List<Object> outer = new ArrayList<>();
        List<Object> inner = outer;
        for (int i = 1; i < depth; i++) {
            List<Object> next = new ArrayList<>();
            inner.add(next);
            inner = next;
        }
        return outer;
    }

    private static byte[] head(byte[] bytes, int length) {
        return Arrays.copyOf(bytes, length);
    }
}
