package io.meshlive.webrtc.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) over the JDK's SHA-1 (on the SHA extensions where the CPU has them), for a
 * key of at most one block, which SRTP's 20-byte authentication keys are. It is the JDK's
 * HmacSHA1 without the 20-byte array that Mac.doFinal allocates for the inner digest on every
 * packet: both digests are written into arrays kept here. Not thread-safe.
 */
final class HmacSha1 {
    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest inner = sha1();
    private final MessageDigest outer = sha1();
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] innerDigest = new byte[LENGTH];

    /** @throws IllegalArgumentException if the key is longer than a SHA-1 block */
    HmacSha1(byte[] key) {
        if (key.length > BLOCK) {
            throw new IllegalArgumentException("HMAC-SHA1 key over " + BLOCK + " bytes: " + key.length);
        }
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5C);
        }
        inner.update(innerPad);
    }

    void update(byte[] data, int offset, int length) {
        inner.update(data, offset, length);
    }

    /** Writes the 20-byte MAC of everything updated since the last call to out[at..] and starts over. */
    void doFinal(byte[] out, int at) {
        try {
            inner.digest(innerDigest, 0, LENGTH);
            inner.update(innerPad);
            outer.update(outerPad);
            outer.update(innerDigest);
            outer.digest(out, at, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException(e); // the arrays hold a SHA-1 digest
        }
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 unavailable", e); // every JDK has it
        }
    }
}
