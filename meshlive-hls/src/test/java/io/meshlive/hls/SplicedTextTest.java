package io.meshlive.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SplicedTextTest {
    private static String spliced(String text, String insert) {
        SplicedText t = SplicedText.of(text, '\u0000');
        byte[] bytes = insert.getBytes(StandardCharsets.UTF_8);
        ByteBuf out = Unpooled.buffer();
        try {
            t.writeTo(out, bytes);
            assertEquals(t.length(bytes.length), out.readableBytes(), "length() is the written size");
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }

    @Test
    void insertsAtEveryMarkerLikeStringReplace() {
        String text = "#EXTM3U\n#EXT-X-MAP:URI=\"init.mp4\u0000\"\nseg-1.m4s\u0000\n\u0000";
        assertEquals(text.replace("\u0000", "?session=abc"), spliced(text, "?session=abc"));
        assertEquals(text.replace("\u0000", ""), spliced(text, ""));
    }

    @Test
    void keepsMultiByteCharactersWhole() {
        String text = "é\u0000ü€\u0000𝄞";
        assertEquals(text.replace("\u0000", "?q=1"), spliced(text, "?q=1"));
    }

    @Test
    void textWithoutMarkersIsCopiedAsIs() {
        assertEquals("#EXTM3U\n", spliced("#EXTM3U\n", "?x"));
        assertEquals("", spliced("", "?x"));
    }

    @Test
    void refusesANonAsciiMarker() {
        assertThrows(IllegalArgumentException.class, () -> SplicedText.of("x", 'é'));
    }
}
