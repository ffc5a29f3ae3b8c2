package io.meshlive.transcode.video;

/**
 * When each frame waiting in the decoder arrived at the hub, by pts: the decoder hands pictures
 * out by pts alone. A small ring, as a low-delay decoder holds at most a frame or two.
 */
final class ArrivalTimes {
    private static final int SIZE = 64;

    private final long[] pts = new long[SIZE];
    private final long[] arrival = new long[SIZE];
    private int next;

    void put(long framePts, long arrivalNanos) {
        pts[next] = framePts;
        arrival[next] = arrivalNanos;
        next = (next + 1) % SIZE;
    }

    /** The arrival of the newest frame with {@code framePts}, or {@code fallback}. */
    long take(long framePts, long fallback) {
        for (int i = 1; i <= SIZE; i++) {
            int at = Math.floorMod(next - i, SIZE);
            if (pts[at] == framePts) {
                return arrival[at];
            }
        }
        return fallback;
    }
}
