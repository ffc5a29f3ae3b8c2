package io.meshlive.server.hooks;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where webhooks go and how hard to try.
 *
 * @param url             the receiver; null turns webhooks off
 * @param secret          HMAC-SHA256 key every request body is signed with
 * @param timeout         the longest a publish or play waits for the receiver's answer
 * @param failOpen        let publish and play through when the receiver cannot answer
 * @param retries         how many times a failed notification is sent again
 * @param firstRetryDelay the wait before the first retry; it doubles for each one after
 */
public record WebhookSettings(URI url, byte[] secret, Duration timeout, boolean failOpen, int retries, Duration firstRetryDelay) {
    public WebhookSettings {
        if (url != null) {
            if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) {
                throw new IllegalArgumentException("webhook url must be http or https, not " + url);
            }
            // An empty key would make every signature forgeable, so a receiver could not trust any of them.
            if (secret == null || secret.length == 0) {
                throw new IllegalArgumentException("webhooks need a secret to sign requests with");
            }
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(firstRetryDelay, "firstRetryDelay");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("webhook timeout must be positive, not " + timeout);
            }
            if (retries < 0) {
                throw new IllegalArgumentException("webhook retries must be 0 or more, not " + retries);
            }
        }
        // Copied so a caller that later wipes or reuses its array cannot change what requests are signed with.
        secret = secret == null ? null : secret.clone();
    }

    public boolean enabled() {
        return url != null;
    }
}
