package io.meshlive.cluster.store;

/**
 * The answer to {@link ControlStore#claimOrigin}.
 *
 * @param granted whether the caller now holds the origin
 * @param origin  the holder after the call (the caller when granted)
 */
public record OriginClaim(boolean granted, StreamOrigin origin) {
}
