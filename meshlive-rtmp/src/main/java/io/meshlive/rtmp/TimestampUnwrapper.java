package io.meshlive.rtmp;

/**
 * Turns RTMP's 32-bit millisecond timestamps into a 64-bit timeline in microseconds, carrying
 * across the wrap every 49.7 days (or sooner, for encoders that start high).
 */
final class TimestampUnwrapper {
    private static final long WRAP = 1L << 32;
    private long last = -1;
    private long epoch;

    long toMicros(long timestamp32) {
        if (last >= 0) {
            long diff = timestamp32 - last;
            if (diff < -WRAP / 2) {
                epoch += WRAP;
            } else if (diff > WRAP / 2 && epoch > 0) {
                epoch -= WRAP; // a late frame from before the wrap
            }
        }
        last = timestamp32;
        return (epoch + timestamp32) * 1000;
    }
}
