package io.meshlive.rtmp;

/**
 * RTMP listener settings.
 *
 * @param maxMessageSize       the longest message accepted; a larger length field closes the session
 * @param handshakeTimeoutMillis a client that has not finished the handshake by then is closed
 * @param idleTimeoutMillis    a publisher that sends nothing for this long, or a connection that
 *                             never publishes or plays, is closed
 * @param partialMessageBudget the bytes incomplete messages of all connections may hold together
 */
public record RtmpSettings(int maxMessageSize, int handshakeTimeoutMillis, int idleTimeoutMillis, long partialMessageBudget) {
    public static RtmpSettings defaults() {
        return new RtmpSettings(8 * 1024 * 1024, 5000, 10_000, 256L * 1024 * 1024);
    }
}
