package io.meshlive.cluster.relay;

/** A relay peer broke the protocol (bad bytes, wrong HMAC, an unknown stream): the connection is closed. */
public final class RelayProtocolException extends RuntimeException {
    public RelayProtocolException(String message) {
        super(message, null, false, false);
    }
}
