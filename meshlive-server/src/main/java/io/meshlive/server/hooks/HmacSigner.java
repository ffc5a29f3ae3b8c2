package io.meshlive.server.hooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/** Produces the {@code X-Meshlive-Signature} value a receiver checks a body against. */
final class HmacSigner {
    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;

    HmacSigner(byte[] secret) {
        this.key = new SecretKeySpec(secret, ALGORITHM);
    }

    /** {@code sha256=<lowercase hex HMAC-SHA256 of body>}, the same form GitHub uses. */
    String sign(byte[] body) {
        try {
            // A Mac is not thread-safe and signing is far from the hot path, so each call gets its own.
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
