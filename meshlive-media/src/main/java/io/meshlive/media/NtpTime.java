package io.meshlive.media;

import java.time.Instant;

/**
 * 64-bit NTP timestamps (RFC 5905 §6): seconds since 1900 in the high 32 bits, the fraction of a
 * second in the low 32, as RTCP sender reports and the fMP4 {@code prft} box carry them. Seconds
 * wrap in 2036 (era 1); as RFC 4330 §3 suggests, a timestamp whose top bit is clear is read as
 * era 1, which keeps 1968 to 2104 unambiguous.
 */
public final class NtpTime {
    /** Seconds from 1900-01-01 to 1970-01-01. */
    private static final long UNIX_EPOCH_SECONDS = 2_208_988_800L;
    private static final long ERA = 1L << 32;
    private static final long NANOS = 1_000_000_000L;

    private NtpTime() {
    }

    public static long fromEpochMillis(long millis) {
        long seconds = Math.floorDiv(millis, 1000) + UNIX_EPOCH_SECONDS;
        long fraction = (Math.floorMod(millis, 1000L) << 32) / 1000;
        return (seconds & 0xFFFFFFFFL) << 32 | fraction;
    }

    /** The wall-clock time at which {@code System.nanoTime()} read {@code nanoTime}, as NTP. */
    public static long ofNanoTime(long nanoTime) {
        // Ages the frame on the monotonic clock, then dates it on the wall clock, so a wall-clock
        // step after arrival does not distort the age that latency measurements rely on.
        Instant now = Instant.now();
        long age = System.nanoTime() - nanoTime;
        Instant then = now.minusNanos(age);
        long seconds = then.getEpochSecond() + UNIX_EPOCH_SECONDS;
        long fraction = ((long) then.getNano() << 32) / NANOS;
        return (seconds & 0xFFFFFFFFL) << 32 | fraction;
    }

    /** Milliseconds since 1970, the fraction rounded to the nearest millisecond (what the tests read back). */
    static long toEpochMillis(long ntp) {
        long seconds = ntp >>> 32;
        if ((seconds & 0x80000000L) == 0) {
            seconds += ERA;
        }
        long fractionMillis = ((ntp & 0xFFFFFFFFL) * 1000 + (1L << 31)) >>> 32;
        return (seconds - UNIX_EPOCH_SECONDS) * 1000 + fractionMillis;
    }
}
