package io.meshlive.webrtc.srtp;

import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;

/**
 * AES in counter mode, block i of the keystream being AES(key, counter block + i) with the
 * addition in the block's last 32 bits: SRTP's AES-CM (RFC 3711 §4.1.1, whose IVs end in 16 zero
 * bits that i simply fills) and GCM's GCTR (inc32, NIST SP 800-38D §6.5) alike.
 *
 * <p>The JDK's AES/CTR would need an init per packet for the new IV, which allocates; instead one
 * AES/ECB cipher (AES-NI, several blocks at a time) is initialised once and fed counter blocks
 * built here, in reusable arrays. Not thread-safe.
 */
final class AesCounterMode {
    static final int BLOCK = 16;
    /** At most this many blocks (1 MiB), so SRTP's 16-bit counter never carries: far above any packet. */
    static final int MAX_LENGTH = 65536 * BLOCK;

    private final Cipher aes;
    private byte[] counters = new byte[2048];
    private byte[] keystream = new byte[2048];

    AesCounterMode(byte[] key) {
        this.aes = JdkCrypto.aesBlockEncryptor(key);
    }

    /** XORs the keystream that starts at {@code iv} (16 bytes, last two zero) into data[offset, offset + length). */
    void apply(byte[] iv, byte[] data, int offset, int length) {
        xor(keystream(iv, length), 0, data, offset, length);
    }

    /**
     * The keystream for {@code length} bytes from counter block {@code iv}, in an array reused by
     * the next call (it may be longer than asked).
     */
    byte[] keystream(byte[] iv, int length) {
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("AES-CM segment over " + MAX_LENGTH + " bytes: " + length);
        }
        int blocks = (length + BLOCK - 1) / BLOCK;
        int bytes = blocks * BLOCK;
        if (counters.length < bytes) {
            counters = new byte[bytes];
            keystream = new byte[bytes];
        }
        int counter = (iv[12] & 0xFF) << 24 | (iv[13] & 0xFF) << 16 | (iv[14] & 0xFF) << 8 | iv[15] & 0xFF;
        for (int block = 0; block < blocks; block++, counter++) {
            int at = block * BLOCK;
            System.arraycopy(iv, 0, counters, at, BLOCK - 4);
            SrtpTransform.putInt(counters, at + BLOCK - 4, counter);
        }
        try {
            aes.update(counters, 0, bytes, keystream, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e); // keystream is sized above
        }
        return keystream;
    }

    static void xor(byte[] keystream, int from, byte[] data, int offset, int length) {
        for (int i = 0; i < length; i++) {
            data[offset + i] ^= keystream[from + i];
        }
    }
}
