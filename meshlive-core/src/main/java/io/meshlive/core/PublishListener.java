package io.meshlive.core;

/**
 * Told when a stream gets or loses its publisher, so work that follows publishers (a transcoder,
 * a recorder) can start and stop with them. Called on the thread that attached or detached the
 * publisher, holding the stream's lock, so a stream's calls arrive in the order its publishers
 * came and went (an encoder reconnecting at once is not announced before its old session's end):
 * implementations hand the work to another thread or loop and return at once, never blocking and
 * never calling the stream back.
 */
public interface PublishListener {
    /** {@code publisher} is now the publisher of {@code stream}. */
    void published(Stream stream, Session publisher);

    /** {@code publisher} is no longer the publisher of {@code stream} (it left, or was replaced). */
    void unpublished(Stream stream, Session publisher);
}
