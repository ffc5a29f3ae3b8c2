package io.meshlive.core;

/** What happened to a request to publish. */
public enum PublishOutcome {
    /** The caller is now the publisher. */
    STARTED,
    /** The caller is the publisher and the previous one was cut (takeover configured). */
    TOOK_OVER,
    /** Another publisher is live and takeover is off: refuse with a clear status. */
    BUSY,
    /** Internal: the stream closed meanwhile; the registry retries on a fresh one. */
    RETRY
}
