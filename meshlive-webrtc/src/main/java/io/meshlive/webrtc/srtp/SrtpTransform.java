package io.meshlive.webrtc.srtp;

/**
 * One profile's encryption and authentication under one set of session keys: a context has one
 * for RTP and one for RTCP. It works on a packet's bytes as an array and an offset, and knows
 * nothing of SSRC state: the caller supplies the packet index and keeps the replay window.
 */
sealed interface SrtpTransform permits AesCmHmacSha1Transform, AesGcmTransform {
    /** The first 8 bytes of an RTCP packet (header and sender SSRC) are never encrypted (RFC 3711 §3.4). */
    int RTCP_CLEAR_LENGTH = 8;

    static SrtpTransform of(SrtpProfile profile, SessionKeys keys) {
        return switch (profile) {
            case AES128_CM_HMAC_SHA1_80 -> new AesCmHmacSha1Transform(keys);
            case AEAD_AES_128_GCM -> new AesGcmTransform(keys);
        };
    }

    /**
     * Encrypts packet[offset + headerLength, offset + length) in place and writes the tag right
     * after it. {@code index} is the 48-bit packet index, ROC * 65536 + SEQ.
     */
    void protectRtp(byte[] packet, int offset, int headerLength, int length, int ssrc, long index);

    /**
     * Verifies the tag that ends packet[offset, offset + length) and, if it matches, decrypts the
     * payload in place. False when it does not match.
     */
    boolean unprotectRtp(byte[] packet, int offset, int headerLength, int length, int ssrc, long index);

    /**
     * Encrypts packet[offset + 8, offset + length) in place and writes the SRTCP trailer (index
     * word and tag, in this profile's order) after it. {@code indexWord} is the E flag (bit 31)
     * and the 31-bit SRTCP index.
     */
    void protectRtcp(byte[] packet, int offset, int length, int ssrc, int indexWord);

    /**
     * Verifies the SRTCP packet whose RTCP part is packet[offset, offset + length), its trailer
     * following, and decrypts it in place if the E flag says it is encrypted. False when the tag
     * does not match.
     */
    boolean unprotectRtcp(byte[] packet, int offset, int length, int ssrc, int indexWord);

    /** Where the SRTCP index word starts, counted back from the end of a protected packet. */
    int srtcpIndexFromEnd();

    /**
     * Fills {@code iv} with the session salt (left-aligned, zero-padded) XOR the SSRC at
     * {@code ssrcAt} and the 48-bit index in the 6 bytes after it: RFC 3711 §4.1.1 puts the SSRC
     * at byte 4 of a 16-byte IV, RFC 7714 §8.1 and §9.1 at byte 2 of a 12-byte one.
     */
    static void fillIv(byte[] iv, byte[] salt, int ssrcAt, int ssrc, long index) {
        System.arraycopy(salt, 0, iv, 0, salt.length);
        for (int i = salt.length; i < iv.length; i++) {
            iv[i] = 0;
        }
        for (int i = 0; i < 4; i++) {
            iv[ssrcAt + i] ^= (byte) (ssrc >>> (24 - 8 * i));
        }
        for (int i = 0; i < 6; i++) {
            iv[ssrcAt + 4 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
    }

    static void putInt(byte[] array, int at, int value) {
        array[at] = (byte) (value >>> 24);
        array[at + 1] = (byte) (value >>> 16);
        array[at + 2] = (byte) (value >>> 8);
        array[at + 3] = (byte) value;
    }
}
