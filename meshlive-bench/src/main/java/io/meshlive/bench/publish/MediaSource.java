package io.meshlive.bench.publish;

/** Where a publisher's tags come from, in timestamp order. */
interface MediaSource {
    /** The next tag (the caller owns its body), or null when there are no more. */
    MediaTag next();

    /** How many times the source has started over. */
    int loops();
}
