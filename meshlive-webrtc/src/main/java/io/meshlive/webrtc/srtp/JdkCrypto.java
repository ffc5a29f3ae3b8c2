package io.meshlive.webrtc.srtp;

import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * The JDK primitives SRTP is built on. Every JDK 17 has them (and runs them on AES-NI and CLMUL
 * where the CPU has them), so failing to get one is a broken runtime, not an
 * error a caller could handle.
 */
final class JdkCrypto {
    private JdkCrypto() {
    }

    static SecretKeySpec aesKey(byte[] key) {
        return new SecretKeySpec(key, "AES");
    }

    /** AES on single blocks, initialised once: the block function under SRTP's counter mode. */
    static Cipher aesBlockEncryptor(byte[] key) {
        try {
            Cipher cipher = Cipher.getInstance("AES/ECB/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, aesKey(key));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB/NoPadding unavailable", e);
        }
    }

    /** AES-GCM, not initialised: GCM takes a new IV, so an init, per packet. */
    static Cipher aesGcm() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding unavailable", e);
        }
    }
}
