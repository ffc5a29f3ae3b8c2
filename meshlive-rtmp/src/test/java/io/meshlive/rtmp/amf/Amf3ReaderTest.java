package io.meshlive.rtmp.amf;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.meshlive.rtmp.amf.Bytes.asList;
import static io.meshlive.rtmp.amf.Bytes.asMap;
import static io.meshlive.rtmp.amf.Bytes.read;
import static io.meshlive.rtmp.amf.Bytes.read3;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static io.meshlive.testkit.Hex.hex;

class Amf3ReaderTest {
    /** The U29 boundaries from the AMF3 specification, section 1.3.1, read as numbers. */
    @Test
    void integers() {
        assertThat(read3(hex("04 00"))).isEqualTo(0.0);
        assertThat(read3(hex("04 7f"))).isEqualTo((double) 0x7f);
        assertThat(read3(hex("04 8100"))).isEqualTo((double) 0x80);
        assertThat(read3(hex("04 ff7f"))).isEqualTo((double) 0x3fff);
        assertThat(read3(hex("04 818000"))).isEqualTo((double) 0x4000);
        assertThat(read3(hex("04 ffff7f"))).isEqualTo((double) 0x1fffff);
        assertThat(read3(hex("04 80c08000"))).isEqualTo((double) 0x200000);
        assertThat(read3(hex("04 bfffffff"))).isEqualTo((double) 0x0fffffff);
        assertThat(read3(hex("04 ffffffff"))).as("-1, sign-extended from 29 bits").isEqualTo(-1.0);
        assertThat(read3(hex("04 c0808000"))).as("smallest").isEqualTo((double) -0x10000000);
    }

    @Test
    void scalars() {
        assertThat(read3(hex("00"))).isSameAs(Amf0Reader.UNDEFINED);
        assertThat(read3(hex("01"))).isNull();
        assertThat(read3(hex("02"))).isEqualTo(false);
        assertThat(read3(hex("03"))).isEqualTo(true);
        assertThat(read3(hex("05 bff8000000000000"))).isEqualTo(-1.5);
        assertThat(read3(hex("08 01 4278bcfe56800000"))).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(read3(hex("07 09 3c612f3e"))).as("XML document").isEqualTo("<a/>");
        assertThat(read3(hex("0b 09 3c612f3e"))).as("XML").isEqualTo("<a/>");
        assertThat((byte[]) read3(hex("0c 07 00ff7f"))).containsExactly(0x00, 0xff, 0x7f);
    }

    @Test
    void stringsAndStringReferences() {
        // "abc", "de", ref 0, "" (never a table entry), ref 1
        assertThat(read(hex("06 07 616263  06 05 6465  06 00  06 01  06 02"), Amf3Reader::readAll))
                .containsExactly("abc", "de", "abc", "", "de");
    }

    @Test
    void dynamicAnonymousObject() {
        // {a: 1, b: "x"}: traits inline, dynamic, 0 sealed members, class name ""
        Object value = read3(hex("0a 0b 01  03 61 04 01  03 62 06 03 78  01"));

        assertThat(asMap(value)).containsExactly(entry("a", 1.0), entry("b", "x"));
    }

    @Test
    void memberNamesShareTheStringTable() {
        // {name: "name"}: the value is a reference to the member name
        assertThat(asMap(read3(hex("0a 0b 01  09 6e616d65 06 00  01"))))
                .containsExactly(entry("name", "name"));
    }

    @Test
    void sealedAndDynamicMembers() {
        // class "P" sealed [x], dynamic: {x: 1, y: 2}
        assertThat(asMap(read3(hex("0a 1b 03 50 03 78  04 01  03 79 04 02 01"))))
                .containsExactly(entry("x", 1.0), entry("y", 2.0));
    }

    @Test
    void traitsAndObjectReferences() {
        List<Object> values = asList(read3(Captures.AMF3_TYPED_OBJECTS));

        assertThat(values).containsExactly(Map.of("x", 1.0), Map.of("x", 2.0), Map.of("x", 1.0));
        assertThat(values.get(2)).isSameAs(values.get(0));
    }

    @Test
    void denseArray() {
        assertThat(read3(hex("09 07 01  04 01 04 02 04 03"))).isEqualTo(List.of(1.0, 2.0, 3.0));
        assertThat(read3(hex("09 01 01"))).isEqualTo(List.of());
    }

    @Test
    void arrayWithAssociativePartIsAMapWithDenseValuesAfter() {
        // associative {k: true}, dense ["a"]
        assertThat(asMap(read3(hex("09 03  03 6b 03  01  06 03 61"))))
                .containsExactly(entry("k", true), entry("0", "a"));
    }

    @Test
    void referencesToDatesXmlAndByteArrays() {
        List<Object> values = asList(read3(hex("09 0d 01  08 01 0000000000000000  08 02  0b 03 78  0b 04  0c 03 01  0c 06")));

        assertThat(values.get(1)).isSameAs(values.get(0)).isEqualTo(Instant.EPOCH);
        assertThat(values.get(3)).isSameAs(values.get(2)).isEqualTo("x");
        assertThat(values.get(5)).isSameAs(values.get(4));
    }

    @Test
    void externalizableObjectIsRejected() {
        assertThatThrownBy(() -> read3(hex("0a 07 43 666c65782e6d6573736167696e672e696f2e4172726179436f6c6c656374696f6e 0a 01")))
                .isInstanceOf(AmfException.class)
                .hasMessageContaining("externalizable")
                .hasMessageContaining("flex.messaging.io.ArrayCollection");
    }

    @Test
    void vectorsAndDictionariesAreUnsupported() {
        for (String marker : List.of("0d", "0e", "0f", "10", "11")) {
            assertThatThrownBy(() -> read3(hex(marker, "03 00 00000001")))
                    .isInstanceOf(AmfException.class)
                    .hasMessageContaining("unsupported AMF3 marker 0x" + marker.replaceFirst("^0", ""));
        }
    }
}
