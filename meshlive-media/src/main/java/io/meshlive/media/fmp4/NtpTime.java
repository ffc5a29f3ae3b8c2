package io.meshlive.media.fmp4;

import java.time.Instant;

/**
 * 64-bit NTP timestamps (RFC 5905: seconds since 1900 in the high word, the fraction in the low)
 * for the {@code prft} box, from the monotonic {@link System#nanoTime()} a frame arrived at.
 */
final class NtpTime {
    private static final long SECONDS_1900_TO_1970 = 2_208_988_800L;
    private static final long NANOS = 1_000_000_000L;

    private NtpTime() {
    }

    /** The wall-clock time at which {@code System.nanoTime()} read {@code nanoTime}, as NTP. */
    static long ofNanoTime(long nanoTime) {
        // Ages the frame on the monotonic clock, then dates it on the wall clock, so a wall-clock
        // step after arrival does not distort the age that latency measurements rely on.
        Instant now = Instant.now();
        long age = System.nanoTime() - nanoTime;
        Instant then = now.minusNanos(age);
        long seconds = then.getEpochSecond() + SECONDS_1900_TO_1970;
        long fraction = ((long) then.getNano() << 32) / NANOS;
        return seconds << 32 | fraction;
    }
}
