package io.meshlive.webrtc.srtp;

import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * AES in counter mode as SRTP defines it (RFC 3711 §4.1.1): block i of the keystream is
 * AES(key, IV + i), and because SRTP's IVs end in 16 zero bits, i simply fills those two bytes.
 *
 * <p>The JDK's AES/CTR would need an init per packet for the new IV, which allocates; instead one
 * AES/ECB cipher is initialised once and fed counter blocks built here, in reusable arrays.
 * Not thread-safe.
 */
final class AesCounterMode {
    static final int BLOCK = 16;
    /** The two counter bytes number at most this many blocks: 1 MiB, far above any packet. */
    static final int MAX_LENGTH = 65536 * BLOCK;

    /** Eight bytes at a time: the counter blocks are two stores each, the XOR a word per step (a byte loop cost more than AES-NI). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final Cipher aes;
    private byte[] counters = new byte[2048];
    private byte[] keystream = new byte[2048];

    AesCounterMode(byte[] key) {
        this.aes = JdkCrypto.aesBlockEncryptor(key);
    }

    /** XORs the keystream that starts at {@code iv} (16 bytes, last two zero) into data[offset, offset + length). */
    void apply(byte[] iv, byte[] data, int offset, int length) {
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("AES-CM segment over " + MAX_LENGTH + " bytes: " + length);
        }
        int blocks = (length + BLOCK - 1) / BLOCK;
        int bytes = blocks * BLOCK;
        if (counters.length < bytes) {
            counters = new byte[bytes];
            keystream = new byte[bytes];
        }
        long ivHigh = (long) LONGS.get(iv, 0);
        long ivLow = (long) LONGS.get(iv, 8) & ~0xFFFFL;
        for (int block = 0; block < blocks; block++) {
            int at = block * BLOCK;
            LONGS.set(counters, at, ivHigh);
            LONGS.set(counters, at + 8, ivLow | block);
        }
        try {
            aes.update(counters, 0, bytes, keystream, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e); // keystream is sized above
        }
        int i = 0;
        for (; i <= length - 8; i += 8) {
            LONGS.set(data, offset + i, (long) LONGS.get(data, offset + i) ^ (long) LONGS.get(keystream, i));
        }
        for (; i < length; i++) {
            data[offset + i] ^= keystream[i];
        }
    }
}
