package io.meshlive.webrtc.stun;

import static io.meshlive.webrtc.stun.StunAttributes.MAGIC_COOKIE;

/**
 * The XOR of an X-Address (RFC 8489 §14.2): with the magic cookie, and for IPv6 with the
 * cookie followed by the transaction id. Its own inverse, so it both encodes and decodes.
 */
final class XorAddress {
    private XorAddress() {
    }

    static void apply(byte[] address, byte[] transactionId) {
        for (int i = 0; i < address.length; i++) {
            int mask = i < 4 ? MAGIC_COOKIE >>> (24 - 8 * i) : transactionId[i - 4];
            address[i] ^= (byte) mask;
        }
    }
}
