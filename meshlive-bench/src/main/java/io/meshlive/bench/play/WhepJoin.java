package io.meshlive.bench.play;

/**
 * When a WHEP player passed each step of its join ({@link System#nanoTime()}, 0 for a step not
 * reached), so a slow join can be blamed on the step that took the time: the HTTP POST, ICE,
 * the DTLS handshake, or the wait for a keyframe.
 *
 * @param postNanos     the offer was posted
 * @param answeredNanos the 201 answer arrived
 * @param iceNanos      our first STUN binding request was answered
 * @param dtlsNanos     the DTLS handshake completed on our side
 */
public record WhepJoin(long postNanos, long answeredNanos, long iceNanos, long dtlsNanos) {
    static final WhepJoin NONE = new WhepJoin(0, 0, 0, 0);

    /** Nanoseconds from one step to a later one, or -1 when either was not reached. */
    static long between(long fromNanos, long toNanos) {
        return fromNanos == 0 || toNanos == 0 ? -1 : toNanos - fromNanos;
    }
}
