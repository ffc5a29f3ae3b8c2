package io.meshlive.server.control;

import io.meshlive.core.AccessRequest;
import io.meshlive.core.Admission;
import io.meshlive.server.ServerConfig;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Signed URLs, per app and action: {@code ?expires=<unix seconds>&sign=<hex HMAC-SHA256(secret,
 * "/app/stream" + expires [+ clientIp])>}. The signed path is the same for every protocol, so one
 * signature serves RTMP, HTTP-FLV and the rest.
 */
public final class UrlSigner implements Admission {
    private final Map<String, ServerConfig.Signing> apps;

    public UrlSigner(Map<String, ServerConfig.Signing> apps) {
        this.apps = Map.copyOf(apps);
    }

    @Override
    public CompletionStage<Verdict> check(AccessRequest r) {
        return CompletableFuture.completedFuture(verify(r, System.currentTimeMillis() / 1000));
    }

    Verdict verify(AccessRequest r, long nowSeconds) {
        ServerConfig.Signing s = apps.get(r.stream().app());
        boolean required = s != null && (r.action() == AccessRequest.Action.PUBLISH ? s.publish : s.play);
        if (!required) {
            return Verdict.ALLOW;
        }
        String expires = r.query().get("expires");
        String sign = r.query().get("sign");
        if (expires == null || sign == null) {
            return Verdict.deny("bad-signature: expires and sign are required");
        }
        long expiry;
        try {
            expiry = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return Verdict.deny("bad-signature: expires is not a number");
        }
        if (expiry < nowSeconds) {
            return Verdict.deny("bad-signature: expired");
        }
        byte[] expected = hmac(s.secret, signedText(r, expires, s.bindIp));
        byte[] given;
        try {
            given = HexFormat.of().parseHex(sign);
        } catch (IllegalArgumentException e) {
            return Verdict.deny("bad-signature: sign is not hex");
        }
        if (!MessageDigest.isEqual(expected, given)) {
            return Verdict.deny("bad-signature: does not match");
        }
        return s.bindIp ? Verdict.allowOnlyFrom(r.clientIp()) : Verdict.ALLOW;
    }

    private static String signedText(AccessRequest r, String expires, boolean bindIp) {
        return "/" + r.stream().app() + "/" + r.stream().name() + expires + (bindIp ? r.clientIp() : "");
    }

    /** The signature a client must send; for tools and tests. */
    public static String sign(String secret, String app, String stream, long expires, String clientIp) {
        return HexFormat.of().formatHex(hmac(secret, "/" + app + "/" + stream + expires + (clientIp == null ? "" : clientIp)));
    }

    private static byte[] hmac(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
