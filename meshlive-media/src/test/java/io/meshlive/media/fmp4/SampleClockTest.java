package io.meshlive.media.fmp4;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The exact timeline from millisecond timestamps: rates, gaps and a source clock that drifts. */
class SampleClockTest {
    private static long millis(double micros) {
        return Math.round(micros / 1000.0) * 1000;
    }

    private static List<Long> durations(SampleClock clock, List<Long> dts) {
        List<Long> ticks = new ArrayList<>();
        dts.forEach(d -> ticks.add(clock.place(d)));
        List<Long> out = new ArrayList<>();
        for (int i = 1; i < ticks.size(); i++) {
            out.add(ticks.get(i) - ticks.get(i - 1));
        }
        return out;
    }

    @Test
    void ntscRatesSettleOnTheirExactDuration() {
        List<Long> dts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            dts.add(millis(i * 1_000_000 * 1001.0 / 30_000));
        }
        List<Long> d = durations(SampleClock.video(), dts);
        // Millisecond timestamps tell 29.97 from 30 fps only after a second or two; from then on, exact.
        assertThat(d.subList(90, d.size())).containsOnly(3003L);
    }

    @Test
    void aMissingFrameLeavesAGapOfOneFrame() {
        List<Long> dts = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            if (i != 40) {
                dts.add(millis(i * 1_000_000 / 30.0));
            }
        }
        List<Long> d = durations(SampleClock.video(), dts);
        assertThat(d).filteredOn(x -> x != 3000L).containsExactly(6000L);
    }

    @Test
    void anAudioClockThatDriftsFromItsSampleCountIsFollowedWithinAQuarterFrame() {
        Frame asc = Frame.config(Codec.AAC, 0, Unpooled.wrappedBuffer(new byte[] {0x11, (byte) 0x90}), 0); // LC 48 kHz
        try {
            SampleClock clock = SampleClock.of(asc);
            // The encoder stamps its frames 0.3% apart from their 1024 samples (a sound card's clock).
            for (int i = 0; i < 3000; i++) {
                long dts = millis(i * 1024 * 1_000_000 / 48_000.0 * 1.003);
                long placed = clock.place(dts);
                assertThat(Math.abs(placed - Timescale.ticks(dts, 48_000))).as("frame %d", i).isLessThanOrEqualTo(256);
            }
        } finally {
            asc.release();
        }
    }
}
