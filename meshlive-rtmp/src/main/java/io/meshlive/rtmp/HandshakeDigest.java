package io.meshlive.rtmp;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The HMAC-SHA256 digests of the "complex" RTMP handshake (Flash Player 9+, ffmpeg, librtmp).
 * C1/S1 hide a 32-byte digest at an offset derived from the packet itself; the two known layouts
 * put the digest block either after the time/version fields (scheme 1) or after the key block
 * (scheme 0). S2/C2 end with a digest keyed by the peer's digest.
 */
final class HandshakeDigest {
    static final int PACKET = 1536;
    static final int DIGEST = 32;

    private static final byte[] SHARED_TAIL = {
            (byte) 0xF0, (byte) 0xEE, (byte) 0xC2, (byte) 0x4A, (byte) 0x80, (byte) 0x68, (byte) 0xBE, (byte) 0xE8,
            (byte) 0x2E, (byte) 0x00, (byte) 0xD0, (byte) 0xD1, (byte) 0x02, (byte) 0x9E, (byte) 0x7E, (byte) 0x57,
            (byte) 0x6E, (byte) 0xEC, (byte) 0x5D, (byte) 0x2D, (byte) 0x29, (byte) 0x80, (byte) 0x6F, (byte) 0xAB,
            (byte) 0x93, (byte) 0xB8, (byte) 0xE6, (byte) 0x36, (byte) 0xCF, (byte) 0xEB, (byte) 0x31, (byte) 0xAE};
    /** "Genuine Adobe Flash Player 001" followed by the shared tail; C1 uses the first 30 bytes. */
    static final byte[] PLAYER_KEY = concat("Genuine Adobe Flash Player 001", SHARED_TAIL);
    /** "Genuine Adobe Flash Media Server 001" followed by the shared tail; S1 uses the first 36 bytes. */
    static final byte[] SERVER_KEY = concat("Genuine Adobe Flash Media Server 001", SHARED_TAIL);
    static final int PLAYER_KEY_TEXT = 30;
    static final int SERVER_KEY_TEXT = 36;

    private HandshakeDigest() {
    }

    private static byte[] concat(String text, byte[] tail) {
        byte[] head = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    /** Offset of the digest in a C1/S1 packet for scheme 0 (digest block second) or 1 (digest block first). */
    static int digestOffset(byte[] packet, int scheme) {
        int base = scheme == 1 ? 8 : 772;
        int sum = (packet[base] & 0xFF) + (packet[base + 1] & 0xFF) + (packet[base + 2] & 0xFF) + (packet[base + 3] & 0xFF);
        return sum % 728 + base + 4;
    }

    /** HMAC over the packet with the 32 digest bytes at {@code offset} left out. */
    static byte[] packetDigest(byte[] packet, int offset, byte[] key, int keyLength) {
        Mac mac = hmac(key, keyLength);
        mac.update(packet, 0, offset);
        mac.update(packet, offset + DIGEST, PACKET - offset - DIGEST);
        return mac.doFinal();
    }

    /** The scheme whose digest verifies with the player key, or -1 when C1 carries none (simple handshake). */
    static int findClientScheme(byte[] c1) {
        for (int scheme : new int[] {1, 0}) {
            int offset = digestOffset(c1, scheme);
            byte[] expected = packetDigest(c1, offset, PLAYER_KEY, PLAYER_KEY_TEXT);
            if (Arrays.equals(expected, 0, DIGEST, c1, offset, offset + DIGEST)) {
                return scheme;
            }
        }
        return -1;
    }

    static byte[] hmac(byte[] key, int keyLength, byte[] data, int from, int length) {
        Mac mac = hmac(key, keyLength);
        mac.update(data, from, length);
        return mac.doFinal();
    }

    private static Mac hmac(byte[] key, int keyLength) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, 0, keyLength, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
