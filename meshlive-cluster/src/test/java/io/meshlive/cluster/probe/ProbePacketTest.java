package io.meshlive.cluster.probe;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbePacketTest {
    private static final Mac KEY = ProbePacket.hmac("s3cret".getBytes(StandardCharsets.UTF_8));

    @Test
    void aPingIsLaidOutAsDocumentedAndReadsBack() throws Exception {
        byte[] wire = new ProbePacket(true, 0x0102030405060708L, 0x1122334455667788L, "n1").encode(KEY);
        String hex = HexFormat.of().formatHex(wire);
        assertEquals("4d4c5052" + "01" + "0102030405060708" + "1122334455667788" + "02" + "6e31", hex.substring(0, hex.length() - 32));
        assertEquals(4 + 1 + 8 + 8 + 1 + 2 + 16, wire.length);
        assertEquals(new ProbePacket(true, 0x0102030405060708L, 0x1122334455667788L, "n1"), ProbePacket.decode(KEY, wire, wire.length));
        ProbePacket pong = new ProbePacket(false, 9, 10, "n2");
        byte[] pw = pong.encode(KEY);
        assertEquals(pong, ProbePacket.decode(KEY, pw, pw.length));
    }

    @Test
    void aProbeSignedWithAnotherSecretOrAlteredOrTruncatedIsRefused() {
        byte[] wire = new ProbePacket(true, 1, 2, "n1").encode(KEY);
        Exception e = assertThrows(ProbePacket.BadProbeException.class,
                () -> ProbePacket.decode(ProbePacket.hmac("other".getBytes(StandardCharsets.UTF_8)), wire, wire.length));
        assertTrue(e.getMessage().contains("HMAC"), e.getMessage());
        byte[] altered = wire.clone();
        altered[6] ^= 1;
        assertThrows(ProbePacket.BadProbeException.class, () -> ProbePacket.decode(KEY, altered, altered.length));
        assertThrows(ProbePacket.BadProbeException.class, () -> ProbePacket.decode(KEY, wire, wire.length - 1));
        byte[] junk = new byte[40];
        assertThrows(ProbePacket.BadProbeException.class, () -> ProbePacket.decode(KEY, junk, junk.length));
        assertArrayEquals(wire, new ProbePacket(true, 1, 2, "n1").encode(KEY), "the same probe, the same bytes");
    }
}
