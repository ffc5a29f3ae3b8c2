package io.meshlive.cluster.brain;

/**
 * Which brain leads: a lock with a TTL in the control store. Several brains may run; only the one
 * holding the lease publishes decisions, and it loses the lease when it stops renewing it.
 */
public interface LeaderLease {
    /** Takes the lease for {@code brainId}, or renews it when it already holds it; true while it leads. */
    boolean acquireOrRenew(String brainId, long ttlMillis);
}
