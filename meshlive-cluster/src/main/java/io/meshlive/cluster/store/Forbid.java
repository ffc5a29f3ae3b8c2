package io.meshlive.cluster.store;

import io.meshlive.core.StreamKey;

/**
 * A forbidden stream: no publish and no play on any node until lifted or expired.
 *
 * @param expiresAtMillis wall-clock expiry, or 0 for never
 */
public record Forbid(StreamKey stream, String reason, long createdAtMillis, long expiresAtMillis) {
    public boolean expired(long nowMillis) {
        return expiresAtMillis > 0 && nowMillis >= expiresAtMillis;
    }
}
