package io.meshlive.cluster.store;

/** A store call that could not be made: the store is unreachable, or did not answer within its timeout. */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
