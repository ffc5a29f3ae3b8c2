package io.meshlive.testkit;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HexTest {
    @Test
    void readsDigitsAcrossSpacesLinesUnderscoresAndParts() {
        assertArrayEquals(new byte[] {0x00, 0x01, (byte) 0xab, (byte) 0xFF, 0x7f},
                Hex.hex("00 01\n\tab", "FF_7f"));
    }

    @Test
    void refusesAnOddDigitOrANonDigit() {
        assertThrows(IllegalArgumentException.class, () -> Hex.hex("abc"));
        assertThrows(IllegalArgumentException.class, () -> Hex.hex("zz"));
    }

    @Test
    void showsBytesAndABuffersReadableBytesWithoutMovingIt() {
        assertEquals("00ff10", Hex.text(new byte[] {0, -1, 16}));
        ByteBuf b = Hex.buffer("01 02 03");
        b.readByte();
        assertEquals("0203", Hex.text(b));
        assertEquals(1, b.readerIndex());
    }
}
