package io.meshlive.rtmp.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.meshlive.rtmp.amf.Bytes.asList;
import static io.meshlive.rtmp.amf.Bytes.asMap;
import static io.meshlive.rtmp.amf.Bytes.read;
import static io.meshlive.rtmp.amf.Bytes.read0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static io.meshlive.testkit.Hex.hex;

class Amf0ReaderTest {
    @Test
    void scalars() {
        assertThat(read0(hex("00 400921fb54442d18"))).isEqualTo(Math.PI);
        assertThat(read0(hex("01 00"))).isEqualTo(false);
        assertThat(read0(hex("01 01"))).isEqualTo(true);
        assertThat(read0(hex("01 ff"))).as("any non-zero byte is true").isEqualTo(true);
        assertThat(read0(hex("05"))).isNull();
        assertThat(read0(hex("06"))).isSameAs(Amf0Reader.UNDEFINED);
        assertThat(read0(hex("0d"))).as("unsupported").isSameAs(Amf0Reader.UNDEFINED);
    }

    @Test
    void strings() {
        assertThat(read0(hex("02 0000"))).isEqualTo("");
        assertThat(read0(hex("02 000b e79bb4e692ad20f09f8ea5"))).isEqualTo("直播 🎥");
        assertThat(read0(hex("0c 00000003 616263"))).as("long string").isEqualTo("abc");
        assertThat(read0(hex("0f 00000004 3c612f3e"))).as("XML document").isEqualTo("<a/>");
        assertThat(read0(hex("02 0003 61 ff 62"))).as("bad UTF-8 decodes leniently").isEqualTo("a\uFFFDb");
    }

    @Test
    void objectsKeepWireOrder() {
        Object value = read0(hex("03 0001 7a 00 3ff0000000000000  0001 61 05  0000 09"));

        assertThat(value).isInstanceOf(LinkedHashMap.class);
        assertThat(asMap(value)).containsExactly(entry("z", 1.0), entry("a", null));
    }

    @Test
    void emptyNameBeforeAnythingButTheEndMarkerIsAProperty() {
        assertThat(asMap(read0(hex("03 0000 05 0000 09")))).containsExactly(entry("", null));
    }

    @Test
    void typedObjectDropsItsClassName() {
        assertThat(asMap(read0(hex("10 0002 5074  0001 78 00 4000000000000000  0000 09"))))
                .containsExactly(entry("x", 2.0));
    }

    @Test
    void ecmaArrayIgnoresItsCount() {
        assertThat(asMap(read0(hex("08 00000000  0001 30 02 0001 61  0000 09"))))
                .as("count too small").containsExactly(entry("0", "a"));
        assertThat(asMap(read0(hex("08 7fffffff  0000 09"))))
                .as("count too large").isEmpty();
    }

    @Test
    void strictArray() {
        assertThat(read0(hex("0a 00000003  00 3ff0000000000000  02 0001 62  0a 00000000")))
                .isEqualTo(List.of(1.0, "b", List.of()));
    }

    @Test
    void dateIgnoresTimeZone() {
        assertThat(read0(hex("0b 4278bcfe56800000 0000"))).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(read0(hex("0b 4278bcfe56800000 fe20"))).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(read0(hex("0b c000000000000000 0000"))).isEqualTo(Instant.ofEpochMilli(-2));
    }

    @Test
    void referenceIsTheSameInstance() {
        // [ {a:1}, ref 1 ] : index 0 is the strict array, index 1 the object
        List<Object> values = asList(read0(hex("0a 00000002  03 0001 61 00 3ff0000000000000 0000 09  07 0001")));

        assertThat(values).hasSize(2);
        assertThat(values.get(1)).isSameAs(values.get(0)).isEqualTo(Map.of("a", 1.0));
    }

    @Test
    void readAllSharesReferencesAcrossTheMessage() {
        List<Object> values = read(hex("03 0000 09  07 0000"), Amf0Reader::readAll);

        assertThat(values.get(1)).isSameAs(values.get(0));
    }

    @Test
    void avmplusMarkerSwitchesToAmf3ForOneValue() {
        assertThat(read(hex("11 04 7f  02 0001 61  11 06 07 616263  11 06 00"), Amf0Reader::readAll))
                .as("integer, then AMF0 again, then AMF3 strings sharing one string table")
                .containsExactly(127.0, "a", "abc", "abc");
    }

    @Test
    void readTakesOneValueAndLeavesTheRest() {
        ByteBuf buf = Unpooled.wrappedBuffer(hex("05 0101"));
        try {
            assertThat(Amf0Reader.read(buf)).isNull();
            assertThat(buf.readerIndex()).isEqualTo(1);
            assertThat(Amf0Reader.read(buf)).isEqualTo(true);
            assertThat(buf.isReadable()).isFalse();
        } finally {
            buf.release();
        }
    }

    @Test
    void readAllOfNothingIsEmpty() {
        assertThat(read(new byte[0], Amf0Reader::readAll)).isEmpty();
    }
}
