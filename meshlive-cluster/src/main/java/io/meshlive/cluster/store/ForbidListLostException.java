package io.meshlive.cluster.store;

/**
 * A forbid or lift refused because the store has no forbid list: it is new, or it lost its data
 * (a Redis restarted without persistence). The caller seeds it with its own last copy
 * ({@link ControlStore#seedForbids}) and tries again, so nothing forbidden before is forgotten.
 */
public final class ForbidListLostException extends RuntimeException {
    public ForbidListLostException(String store) {
        super(store + " has no forbid list (new, or restarted without its data); seed it from a node's copy first", null, false, false);
    }
}
