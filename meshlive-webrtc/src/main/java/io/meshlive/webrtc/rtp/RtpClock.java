package io.meshlive.webrtc.rtp;

/** Converts the hub's microsecond timestamps to RTP media clocks. */
public final class RtpClock {
    public static final int VIDEO_CLOCK_RATE = 90_000;
    public static final int OPUS_CLOCK_RATE = 48_000;

    private RtpClock() {
    }

    /**
     * {@code micros} in units of {@code clockRate} Hz, rounded down and wrapped to an unsigned
     * 32-bit RTP timestamp. Whole seconds and the remainder are scaled apart so no product can
     * overflow, whatever the stream's age.
     */
    public static long toRtp(long micros, int clockRate) {
        long seconds = Math.floorDiv(micros, 1_000_000L);
        long rest = Math.floorMod(micros, 1_000_000L);
        return (seconds * clockRate + rest * clockRate / 1_000_000L) & 0xFFFF_FFFFL;
    }
}
