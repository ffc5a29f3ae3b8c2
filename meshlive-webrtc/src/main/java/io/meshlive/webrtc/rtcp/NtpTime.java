package io.meshlive.webrtc.rtcp;

/**
 * 64-bit NTP timestamps (RFC 5905 §6): seconds since 1900 in the high 32 bits, the fraction of a
 * second in the low 32. Seconds wrap in 2036 (era 1); as RFC 4330 §3 suggests, a timestamp whose
 * top bit is clear is read as era 1, which keeps 1968 to 2104 unambiguous.
 */
public final class NtpTime {
    /** Seconds from 1900-01-01 to 1970-01-01. */
    private static final long UNIX_EPOCH_SECONDS = 2_208_988_800L;
    private static final long ERA = 1L << 32;

    private NtpTime() {
    }

    public static long fromEpochMillis(long millis) {
        long seconds = Math.floorDiv(millis, 1000) + UNIX_EPOCH_SECONDS;
        long fraction = (Math.floorMod(millis, 1000L) << 32) / 1000;
        return (seconds & 0xFFFFFFFFL) << 32 | fraction;
    }

    /** Milliseconds since 1970, the fraction rounded to the nearest millisecond. */
    public static long toEpochMillis(long ntp) {
        long seconds = ntp >>> 32;
        if ((seconds & 0x80000000L) == 0) {
            seconds += ERA;
        }
        long fractionMillis = ((ntp & 0xFFFFFFFFL) * 1000 + (1L << 31)) >>> 32;
        return (seconds - UNIX_EPOCH_SECONDS) * 1000 + fractionMillis;
    }

    /** The middle 32 bits, the compact form used by LSR and DLSR in report blocks (RFC 3550 §6.4.1). */
    public static long middle32(long ntp) {
        return (ntp >>> 16) & 0xFFFFFFFFL;
    }
}
