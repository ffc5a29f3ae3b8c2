package io.meshlive.rtmp.amf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.meshlive.rtmp.amf.Bytes.read0;
import static io.meshlive.rtmp.amf.Bytes.written;
import static org.assertj.core.api.Assertions.assertThat;

/** Every type the writer produces reads back equal, and exactly consumes what was written. */
class AmfRoundTripTest {
    static List<Object> values() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("z", 1.0);
        nested.put("", "empty name");
        nested.put("list", List.of(true, "x", List.of(), new LinkedHashMap<>()));
        nested.put("when", Instant.ofEpochMilli(-1));
        nested.put("nothing", null);
        nested.put("undefined", Amf0Reader.UNDEFINED);
        return Arrays.asList(
                0.0, -0.0, 1.5, -1e300, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                true, false,
                "", "rtmp://example.com/live", "直播 🎥 ünïcødé", "x".repeat(65535), "y".repeat(70000),
                null, Amf0Reader.UNDEFINED,
                Instant.EPOCH, Instant.ofEpochMilli(1_700_000_000_123L), Instant.ofEpochMilli(-8_640_000_000_000_000L),
                new LinkedHashMap<>(), nested,
                List.of(), List.of(1.0, 2.0), Amf0WriterTest.nestedLists(Amf0Reader.MAX_DEPTH));
    }

    @ParameterizedTest
    @MethodSource("values")
    void writeThenRead(Object value) {
        assertThat(read0(written(out -> Amf0Writer.write(out, value)))).isEqualTo(value);
    }

    @Test
    void ecmaArray() {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("duration", 0.0);
        members.put("stereo", true);
        assertThat(read0(written(out -> Amf0Writer.writeEcmaArray(out, members)))).isEqualTo(members);
    }

    @Test
    void javaNumbersReadBackAsDoubles() {
        assertThat(read0(written(out -> Amf0Writer.write(out, 42)))).isEqualTo(42.0);
        assertThat(read0(written(out -> Amf0Writer.write(out, (byte) -1)))).isEqualTo(-1.0);
        assertThat(read0(written(out -> Amf0Writer.write(out, 1L << 53)))).isEqualTo(0x1p53);
    }

    @Test
    void sharedValuesAreWrittenOncePerAppearance() {
        Map<String, Object> shared = Map.of("k", "v");
        List<Object> twice = new ArrayList<>(List.of(shared, shared));
        assertThat(read0(written(out -> Amf0Writer.write(out, twice)))).isEqualTo(twice);
    }
}
