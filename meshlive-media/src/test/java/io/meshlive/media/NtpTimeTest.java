package io.meshlive.media;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class NtpTimeTest {
    @Test
    void theUnixEpochIs2208988800NtpSeconds() {
        assertThat(NtpTime.fromEpochMillis(0)).isEqualTo(2_208_988_800L << 32);
        assertThat(NtpTime.fromEpochMillis(500)).isEqualTo(2_208_988_800L << 32 | 0x80000000L);
        assertThat(NtpTime.toEpochMillis(2_208_988_800L << 32)).isZero();
    }

    @Test
    void readsTimestampsFromBrowserSenderReports() {
        // The NTP times of the SRs in pion/rtcp's tests: 2016-03-10 and 2019-02-27.
        assertThat(Instant.ofEpochMilli(NtpTime.toEpochMillis(0xda8bd1fcdddda05aL)))
                .isEqualTo(Instant.parse("2016-03-10T10:59:08.867Z"));
        assertThat(Instant.ofEpochMilli(NtpTime.toEpochMillis(0xe020a2a952a53fc0L)))
                .isEqualTo(Instant.parse("2019-02-27T05:46:17.323Z"));
    }

    @Test
    void everyMillisecondComesBack() {
        long base = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        for (long millis = base; millis < base + 5000; millis++) {
            assertThat(NtpTime.toEpochMillis(NtpTime.fromEpochMillis(millis))).isEqualTo(millis);
        }
    }

    @Test
    void timesAfter2036AreInTheNextEra() {
        long after = Instant.parse("2040-06-01T12:00:00.250Z").toEpochMilli();
        long ntp = NtpTime.fromEpochMillis(after);
        assertThat(ntp >>> 63).as("seconds wrapped").isZero();
        assertThat(NtpTime.toEpochMillis(ntp)).isEqualTo(after);
        long before = Instant.parse("2036-02-07T06:28:15Z").toEpochMilli(); // the last second of era 0
        assertThat(NtpTime.fromEpochMillis(before) >>> 32).isEqualTo(0xFFFFFFFFL);
        assertThat(NtpTime.toEpochMillis(NtpTime.fromEpochMillis(before))).isEqualTo(before);
    }

    @Test
    void aFrameThatArrivedNowIsDatedNow() {
        long before = System.currentTimeMillis();
        long ntp = NtpTime.ofNanoTime(System.nanoTime());
        long after = System.currentTimeMillis();
        assertThat(NtpTime.toEpochMillis(ntp)).isBetween(before - 1, after + 1);
    }
}
