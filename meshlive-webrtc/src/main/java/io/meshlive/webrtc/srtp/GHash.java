package io.meshlive.webrtc.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * GCM's GHASH (NIST SP 800-38D §6.4) under one hash subkey H, multiplying with Shoup's 4-bit
 * tables (16 multiples of H, 256 bytes, computed once per key), as OpenSSL's portable
 * gcm_gmult_4bit does. It exists so that a GCM packet costs no per-packet setup: the JDK's
 * GaloisCounterMode rebuilds its subkey, tables and engine objects (~1.1 KB) on every init,
 * which is most of the cost of a small packet. Streaming: input may arrive in pieces, and
 * {@link #pad()} closes a section (AAD, then ciphertext) with zeros. Not thread-safe.
 */
final class GHash {
    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** x^4 reduction of the 4 bits shifted out: (bits · 0xE1 polynomial) placed in the top 16 bits. */
    private static final long[] REDUCE_4 = {
        0x0000L << 48, 0x1C20L << 48, 0x3840L << 48, 0x2460L << 48, 0x7080L << 48, 0x6CA0L << 48, 0x48C0L << 48, 0x54E0L << 48,
        0xE100L << 48, 0xFD20L << 48, 0xD940L << 48, 0xC560L << 48, 0x9180L << 48, 0x8DA0L << 48, 0xA9C0L << 48, 0xB5E0L << 48,
    };

    private final long[] tableHi = new long[16];
    private final long[] tableLo = new long[16];
    private final byte[] partial = new byte[16];
    private int partialLength;
    private long stateHi;
    private long stateLo;

    /** @param h the hash subkey, AES(key, 0^128) */
    GHash(byte[] h) {
        long vHi = (long) BIG_ENDIAN_LONG.get(h, 0);
        long vLo = (long) BIG_ENDIAN_LONG.get(h, 8);
        for (int i = 8; i > 0; i >>>= 1) { // H·x^0 at index 8 (bit order is reflected), H·x^3 at index 1
            tableHi[i] = vHi;
            tableLo[i] = vLo;
            long reduce = 0xE100000000000000L & -(vLo & 1);
            vLo = (vHi << 63) | (vLo >>> 1);
            vHi = (vHi >>> 1) ^ reduce;
        }
        for (int i = 2; i < 16; i <<= 1) {
            for (int j = 1; j < i; j++) {
                tableHi[i + j] = tableHi[i] ^ tableHi[j];
                tableLo[i + j] = tableLo[i] ^ tableLo[j];
            }
        }
    }

    void reset() {
        stateHi = 0;
        stateLo = 0;
        partialLength = 0;
    }

    void update(byte[] data, int offset, int length) {
        if (partialLength > 0) {
            int take = Math.min(16 - partialLength, length);
            System.arraycopy(data, offset, partial, partialLength, take);
            partialLength += take;
            offset += take;
            length -= take;
            if (partialLength < 16) {
                return;
            }
            block((long) BIG_ENDIAN_LONG.get(partial, 0), (long) BIG_ENDIAN_LONG.get(partial, 8));
            partialLength = 0;
        }
        for (; length >= 16; offset += 16, length -= 16) {
            block((long) BIG_ENDIAN_LONG.get(data, offset), (long) BIG_ENDIAN_LONG.get(data, offset + 8));
        }
        if (length > 0) {
            System.arraycopy(data, offset, partial, 0, length);
            partialLength = length;
        }
    }

    /** Ends a section: a partial last block is hashed zero-padded. */
    void pad() {
        if (partialLength > 0) {
            Arrays.fill(partial, partialLength, 16, (byte) 0);
            block((long) BIG_ENDIAN_LONG.get(partial, 0), (long) BIG_ENDIAN_LONG.get(partial, 8));
            partialLength = 0;
        }
    }

    /** Hashes the closing block, len(A) || len(C) in bits, and writes the 16-byte result XOR {@code mask[maskAt..]} to {@code out}. */
    void finish(long aadBytes, long textBytes, byte[] mask, int maskAt, byte[] out, int outAt) {
        pad();
        block(aadBytes << 3, textBytes << 3);
        BIG_ENDIAN_LONG.set(out, outAt, stateHi ^ (long) BIG_ENDIAN_LONG.get(mask, maskAt));
        BIG_ENDIAN_LONG.set(out, outAt + 8, stateLo ^ (long) BIG_ENDIAN_LONG.get(mask, maskAt + 8));
    }

    /** state = (state XOR block) · H, one nibble at a time from the last byte to the first. */
    private void block(long blockHi, long blockLo) {
        long xHi = stateHi ^ blockHi;
        long xLo = stateLo ^ blockLo;
        int nibble = (int) xLo & 0xF;
        long zHi = tableHi[nibble];
        long zLo = tableLo[nibble];
        zLo = mulStep(zHi, zLo, (int) (xLo >>> 4) & 0xF);
        zHi = carryHi;
        for (int shift = 8; shift < 64; shift += 8) {
            zLo = mulStep(zHi, zLo, (int) (xLo >>> shift) & 0xF);
            zHi = carryHi;
            zLo = mulStep(zHi, zLo, (int) (xLo >>> (shift + 4)) & 0xF);
            zHi = carryHi;
        }
        for (int shift = 0; shift < 64; shift += 8) {
            zLo = mulStep(zHi, zLo, (int) (xHi >>> shift) & 0xF);
            zHi = carryHi;
            zLo = mulStep(zHi, zLo, (int) (xHi >>> (shift + 4)) & 0xF);
            zHi = carryHi;
        }
        stateHi = zHi;
        stateLo = zLo;
    }

    /** High half of the last {@link #mulStep}: a field, not an allocation, for the second return value. */
    private long carryHi;

    /** z = z · x^4 + H · nibble; returns the low half, leaves the high half in {@link #carryHi}. */
    private long mulStep(long zHi, long zLo, int nibble) {
        int rem = (int) zLo & 0xF;
        long lo = ((zHi << 60) | (zLo >>> 4)) ^ tableLo[nibble];
        carryHi = (zHi >>> 4) ^ REDUCE_4[rem] ^ tableHi[nibble];
        return lo;
    }
}
