package io.meshlive.webrtc.stun;

import java.security.SecureRandom;

/** ICE credentials and candidate priorities (RFC 8445 §5.1.2, §5.3; RFC 8839 §5.4 ice-char). */
public final class IceCredentials {
    /** ice-char: ALPHA / DIGIT / "+" / "/", so 6 random bits a character. */
    private static final char[] ICE_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private IceCredentials() {
    }

    /** A username fragment: 8 random ice-chars (48 bits; at least 24 are required). */
    public static String newUfrag() {
        return random(8);
    }

    /** A password: 24 random ice-chars (144 bits; at least 128 are required). */
    public static String newPassword() {
        return random(24);
    }

    /**
     * RFC 8445 §5.1.2.1: {@code 2^24 * typePreference + 2^8 * localPreference + (256 - component)}.
     * Type preference 0 to 126 (126 for host), local preference 0 to 65535, component 1 to 256.
     */
    public static long candidatePriority(int typePreference, int localPreference, int component) {
        if (typePreference < 0 || typePreference > 126) {
            throw new IllegalArgumentException("type preference must be 0 to 126: " + typePreference);
        }
        if (localPreference < 0 || localPreference > 65535) {
            throw new IllegalArgumentException("local preference must be 0 to 65535: " + localPreference);
        }
        if (component < 1 || component > 256) {
            throw new IllegalArgumentException("component id must be 1 to 256: " + component);
        }
        return ((long) typePreference << 24) + ((long) localPreference << 8) + (256 - component);
    }

    private static String random(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ICE_CHARS[RANDOM.nextInt(ICE_CHARS.length)];
        }
        return new String(chars);
    }
}
