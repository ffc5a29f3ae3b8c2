package io.meshlive.webrtc.sdp;

import io.meshlive.core.ClientText;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A certificate fingerprint (RFC 8122 §5): a hash function name and the hash of the DER
 * certificate, as in {@code a=fingerprint:sha-256 AB:CD:...}.
 *
 * @param algorithm the hash function's name, lower case ("sha-256")
 * @param value     the hash; copied in and out, so the record stays immutable
 */
public record Fingerprint(String algorithm, byte[] value) {
    /** Hash lengths of the functions RFC 8122 names; others are accepted at any length. */
    private static final Map<String, Integer> HASH_LENGTHS = Map.of(
            "md2", 16, "md5", 16, "sha-1", 20, "sha-224", 28, "sha-256", 32, "sha-384", 48, "sha-512", 64);
    private static final HexFormat HEX = HexFormat.ofDelimiter(":").withUpperCase();
    private static final Pattern COLON_HEX_PAIRS = Pattern.compile("\\p{XDigit}{2}(:\\p{XDigit}{2})*");

    public Fingerprint {
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        value = value.clone();
        Integer length = HASH_LENGTHS.get(algorithm);
        if (value.length == 0 || length != null && length != value.length) {
            throw new IllegalArgumentException(algorithm + " fingerprint of " + value.length + " bytes");
        }
    }

    /** The SHA-256 fingerprint of a DER-encoded certificate, the one WebRTC peers all support. */
    public static Fingerprint sha256(byte[] certificateDer) {
        try {
            return new Fingerprint("sha-256", MessageDigest.getInstance("SHA-256").digest(certificateDer));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Parses the value of an {@code a=fingerprint} attribute: {@code hash-func SP fingerprint}. */
    public static Fingerprint parse(String sdpValue) throws SdpException {
        String[] parts = SdpTokens.BLANKS.split(sdpValue.trim());
        if (parts.length != 2 || !COLON_HEX_PAIRS.matcher(parts[1]).matches()) {
            throw new SdpException("fingerprint is not 'hash-function AB:CD:...': " + sdpValue);
        }
        try {
            return new Fingerprint(parts[0], HEX.parseHex(parts[1].toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new SdpException("bad fingerprint " + ClientText.quote(sdpValue) + ": " + e.getMessage());
        }
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** "sha-256 AB:CD:..." */
    public String toSdpValue() {
        return algorithm + " " + HEX.formatHex(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint f && f.algorithm.equals(algorithm) && Arrays.equals(f.value, value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(algorithm, Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return toSdpValue();
    }
}
