package io.meshlive.rtmp.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.function.Function;

import static io.meshlive.rtmp.amf.Bytes.concat;
import static io.meshlive.rtmp.amf.Bytes.read;
import static io.meshlive.rtmp.amf.Bytes.repeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static io.meshlive.testkit.Hex.hex;

class AmfMalformedInputTest {
    private static final byte[] EMPTY_ARRAY0 = hex("0a 00000000");
    private static final byte[] ARRAY0_OF_ONE = hex("0a 00000001");

    @Test
    void everyTruncationOfAnAmf0MessageFailsCleanly() {
        for (byte[] message : List.of(Captures.FFMPEG_CONNECT, Captures.ON_STATUS_PUBLISH_START,
                Captures.SET_DATA_FRAME_METADATA, Captures.FLASH_AMF3_CONNECT)) {
            assertEveryPrefixFailsCleanly(message, Amf0Reader::readAll);
            assertEveryPrefixFailsCleanly(message, Amf0Reader::read);
        }
    }

    @Test
    void everyTruncationOfAnAmf3ValueFailsCleanly() {
        assertEveryPrefixFailsCleanly(Captures.AMF3_TYPED_OBJECTS, Amf3Reader::readAll);
        assertEveryPrefixFailsCleanly(hex("0a 0b 01 03 61 04 ffffffff 03 62 06 03 78 01"), Amf3Reader::readAll);
        assertEveryPrefixFailsCleanly(hex("09 03 03 6b 08 01 4278bcfe56800000 01 0c 03 01"), Amf3Reader::readAll);
    }

    /**
     * Reads each proper prefix of {@code message}: the reader returns what it found (when the
     * prefix ends between values) having consumed it all, or throws {@link AmfException} having
     * consumed nothing; nothing else.
     */
    private static void assertEveryPrefixFailsCleanly(byte[] message, Function<ByteBuf, ?> reader) {
        for (int length = 0; length < message.length; length++) {
            ByteBuf buf = Unpooled.wrappedBuffer(message, 0, length);
            try {
                reader.apply(buf);
                assertThat(buf.readerIndex()).as("prefix of %d bytes", length).isLessThanOrEqualTo(length);
            } catch (AmfException e) {
                assertThat(buf.readerIndex()).as("prefix of %d bytes", length).isZero();
                assertThat(e.offset()).isBetween(0, length);
            } catch (RuntimeException e) {
                fail("prefix of " + length + " bytes threw " + e, e);
            } finally {
                buf.release();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            string longer than its bytes         | 02 ffff 6162                   | string truncated: needs 65535 bytes, 2 left
            long string longer than its bytes    | 0c 7fffffff 61                 | long string truncated
            XML document longer than its bytes   | 0f ffffffff                    | XML document truncated
            property name longer than its bytes  | 03 0010 61                     | property name truncated
            strict array count past the end      | 0a 7fffffff 05                 | strict array count 2147483647 exceeds the 1 bytes left
            strict array count just past the end | 0a 00000002 05                 | strict array count 2 exceeds
            ECMA array without end marker        | 08 00000001 0001 61 05         | property name length truncated
            number too short                     | 00 3ff000                      | number truncated: needs 8 bytes, 3 left
            date too short                       | 0b 4278bcfe56800000 00         | date time zone truncated
            date out of range                    | 0b 7ff0000000000000 0000       | date Infinity out of range
            reference out of range               | 07 0000                        | reference 0 out of range
            object end marker alone              | 09                             | unknown or unsupported AMF0 marker 0x9 at offset 0
            movie clip                           | 04                             | unknown or unsupported AMF0 marker 0x4
            record set                           | 0e                             | unknown or unsupported AMF0 marker 0xe
            unknown marker after a value         | 05 12                          | unknown or unsupported AMF0 marker 0x12 at offset 1
            unknown marker                       | ff                             | unknown or unsupported AMF0 marker 0xff
            bad AMF3 after avmplus marker        | 11 12                          | unknown AMF3 marker 0x12 at offset 1
            """)
    void amf0(String what, String bytes, String message) {
        assertRejected(hex(bytes), Amf0Reader::readAll, message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            string longer than its bytes         | 06 ffffffff 61                 | string truncated: needs 268435455 bytes, 1 left
            XML longer than its bytes            | 0b 81 01                       | XML truncated
            byte array longer than its bytes     | 0c bfffffff                    | byte array truncated
            dense count past the end             | 09 bfffffff 01 01              | array count 134217727 exceeds the 1 bytes left
            sealed member count past the end     | 0a bfffff73 01                 | sealed member count 16777207 exceeds
            U29 cut short                        | 04 ff ff                       | integer truncated
            string reference out of range        | 06 02                          | string reference 1 out of range (0 strings so far)
            object reference out of range        | 0a 02                          | reference 1 out of range
            traits reference out of range        | 0a 01                          | traits reference 0 out of range
            date out of range                    | 08 01 7ff8000000000000         | date NaN out of range
            unknown marker                       | 12                             | unknown AMF3 marker 0x12 at offset 0
            """)
    void amf3(String what, String bytes, String message) {
        assertRejected(hex(bytes), Amf3Reader::readAll, message);
    }

    @Test
    void offsetIsTheBufferIndex() {
        ByteBuf buf = Unpooled.buffer().writeBytes(hex("ffff 05 05 42"));
        buf.readerIndex(2);
        try {
            assertThatThrownBy(() -> Amf0Reader.readAll(buf))
                    .isInstanceOfSatisfying(AmfException.class, e -> assertThat(e.offset()).isEqualTo(4))
                    .hasMessageEndingWith("at offset 4")
                    .satisfies(e -> assertThat(e.getStackTrace()).as("no stack trace filled per bad input").isEmpty());
            assertThat(buf.readerIndex()).isEqualTo(2);
        } finally {
            buf.release();
        }
    }

    @Test
    void amf0NestingIsBounded() {
        int max = Amf0Reader.MAX_DEPTH;
        assertThat(read(nestedArrays0(max), Amf0Reader::read)).isEqualTo(Amf0WriterTest.nestedLists(max));
        assertRejected(nestedArrays0(max + 1), Amf0Reader::read, "nested too deep");

        byte[] objectLevel = hex("03 0001 61");
        assertRejected(concat(repeat(objectLevel, max + 1), hex("05"), repeat(hex("0000 09"), max + 1)),
                Amf0Reader::read, "nested too deep");
    }

    @Test
    void amf3NestingIsBoundedAndCountsTheAmf0LevelsAroundIt() {
        byte[] arrayLevel = hex("09 03 01");
        int max = Amf0Reader.MAX_DEPTH;
        assertThat(read(concat(repeat(arrayLevel, max), hex("01")), Amf3Reader::read)).isNotNull();
        assertRejected(concat(repeat(arrayLevel, max + 1), hex("01")), Amf3Reader::read, "nested too deep");

        byte[] amf0Levels = repeat(ARRAY0_OF_ONE, max / 2);
        assertThat(read(concat(amf0Levels, hex("11"), repeat(arrayLevel, max / 2), hex("01")), Amf0Reader::read))
                .isNotNull();
        assertRejected(concat(amf0Levels, hex("11"), repeat(arrayLevel, max / 2 + 1), hex("01")),
                Amf0Reader::read, "nested too deep");
    }

    @Test
    void referencesCountAsCopiesForDepth() {
        int max = Amf0Reader.MAX_DEPTH;
        // value 0: 32 nested arrays; value 1: an array holding a reference to value 0, 33 levels in all
        assertRejected(concat(nestedArrays0(max), ARRAY0_OF_ONE, hex("07 0000")), Amf0Reader::readAll,
                "nested too deep");
        assertThat(read(concat(nestedArrays0(max), hex("07 0000")), Amf0Reader::readAll)).hasSize(2);
    }

    @Test
    void referencesThatExpandExponentiallyAreRejected() {
        // array 0 is empty, array i holds two references to array i-1: 2^40 values if copied out
        byte[] message = EMPTY_ARRAY0;
        for (int i = 1; i <= 30; i++) {
            message = concat(message, hex("0a 00000002"), refTwice(i - 1));
        }
        assertRejected(message, Amf0Reader::readAll, "references expand the value past");

        // the same in AMF3: array 0 is empty, array i holds two references to the array before it
        byte[] amf3 = hex("09 01 01");
        for (int i = 1; i <= 30; i++) {
            byte[] ref = hex("09", u29((i - 1) << 1));
            amf3 = concat(amf3, hex("09 05 01"), ref, ref);
        }
        assertRejected(amf3, Amf3Reader::readAll, "references expand the value past");
    }

    @Test
    void cyclesAreRejected() {
        assertRejected(hex("03 0001 61 07 0000 0000 09"), Amf0Reader::read, "points to an enclosing value (a cycle)");
        assertRejected(hex("09 03 01 09 00"), Amf3Reader::read, "points to an enclosing value (a cycle)");
        assertRejected(hex("0a 0b 01 03 61 0a 00 01"), Amf3Reader::read, "points to an enclosing value (a cycle)");
    }

    private static void assertRejected(byte[] bytes, Function<ByteBuf, ?> reader, String message) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            assertThatThrownBy(() -> reader.apply(buf)).isInstanceOf(AmfException.class).hasMessageContaining(message);
            assertThat(buf.readerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    private static byte[] nestedArrays0(int depth) {
        return concat(repeat(ARRAY0_OF_ONE, depth - 1), EMPTY_ARRAY0);
    }

    private static byte[] refTwice(int index) {
        byte[] ref = hex("07", String.format("%04x", index));
        return concat(ref, ref);
    }

    private static String u29(int value) {
        if (value < 0x80) {
            return String.format("%02x", value);
        }
        return String.format("%02x%02x", 0x80 | value >> 7, value & 0x7f);
    }
}
