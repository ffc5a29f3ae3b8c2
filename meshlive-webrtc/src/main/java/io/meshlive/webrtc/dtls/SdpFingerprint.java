package io.meshlive.webrtc.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The value of an SDP {@code a=fingerprint} attribute (RFC 8122 §5), for SHA-256 only: every
 * browser hashes its certificate with it, and a weaker hash would let a peer forge a match.
 */
public final class SdpFingerprint {
    private static final String HASH_NAME = "sha-256";
    private static final int SHA256_LENGTH = 32;
    private static final HexFormat COLON_HEX = HexFormat.ofDelimiter(":").withUpperCase();
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private SdpFingerprint() {
    }

    /** "sha-256 AB:CD:..." with upper-case hex, as RFC 8122 asks senders to write it. */
    public static String format(byte[] sha256) {
        if (sha256.length != SHA256_LENGTH) {
            throw new IllegalArgumentException("a SHA-256 fingerprint has 32 bytes, not " + sha256.length);
        }
        return HASH_NAME + " " + COLON_HEX.formatHex(sha256);
    }

    /** Parses "sha-256 ab:cd:..." (hash name and hex in any case) into the 32 hash bytes. */
    public static byte[] parseSha256(String attributeValue) {
        String[] parts = WHITESPACE.split(attributeValue.trim());
        if (parts.length != 2) {
            throw new IllegalArgumentException("not \"<hash-func> <fingerprint>\": " + attributeValue);
        }
        if (!parts[0].toLowerCase(Locale.ROOT).equals(HASH_NAME)) {
            throw new IllegalArgumentException("unsupported fingerprint hash function " + parts[0] + " (only sha-256)");
        }
        byte[] hash;
        try {
            hash = COLON_HEX.parseHex(parts[1].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed fingerprint " + parts[1], e);
        }
        if (hash.length != SHA256_LENGTH) {
            throw new IllegalArgumentException("a SHA-256 fingerprint has 32 bytes, not " + hash.length);
        }
        return hash;
    }

    /** SHA-256 over a certificate's DER encoding: the fingerprint of RFC 8122 §5. */
    static byte[] sha256(byte[] certificateDer) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(certificateDer);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
