package io.meshlive.webrtc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rung a viewer plays on its browser's estimate: the highest under 80 % of it, down after
 * 1.5 s of a low estimate, up after 5 s of a high one, and no move on a dip or before any estimate.
 */
class RenditionPolicyTest {
    /** 360p, 480p, the source. */
    private static final long[] LADDER = {700_000, 1_200_000, 3_000_000};
    private static final long MS = 1_000_000L;

    private final RenditionPolicy policy = new RenditionPolicy();

    @Test
    void noEstimateNoMove() {
        assertThat(policy.estimateBps()).isEqualTo(-1);
        assertThat(policy.choose(LADDER, 2, 0)).isEqualTo(2);
        assertThat(policy.choose(LADDER, 2, 60_000 * MS)).isEqualTo(2);
    }

    @Test
    void movesDownToTheHighestThatFitsOnceTheEstimateStaysLow() {
        policy.estimate(1_600_000); // 80 % = 1.28 Mbit/s: 480p fits, the source does not
        assertThat(policy.choose(LADDER, 2, 0)).isEqualTo(2);
        assertThat(policy.choose(LADDER, 2, 1000 * MS)).isEqualTo(2);
        assertThat(policy.choose(LADDER, 2, 1499 * MS)).isEqualTo(2);
        assertThat(policy.choose(LADDER, 2, 1500 * MS)).isEqualTo(1);
    }

    @Test
    void belowEveryRungTheLowestIsPlayed() {
        policy.estimate(300_000);
        policy.choose(LADDER, 2, 0);
        assertThat(policy.choose(LADDER, 2, 2000 * MS)).isEqualTo(0);
    }

    @Test
    void aShortDipDoesNotMoveAndRestartsTheWait() {
        policy.estimate(500_000);
        policy.choose(LADDER, 2, 0);
        policy.estimate(10_000_000);
        assertThat(policy.choose(LADDER, 2, 1000 * MS)).isEqualTo(2);
        policy.estimate(500_000);
        assertThat(policy.choose(LADDER, 2, 2000 * MS)).as("low again since 2 s, not since 0").isEqualTo(2);
        assertThat(policy.choose(LADDER, 2, 3499 * MS)).isEqualTo(2);
        assertThat(policy.choose(LADDER, 2, 3500 * MS)).isEqualTo(0);
    }

    @Test
    void movesUpOnlyAfterTheEstimateStaysHighForFiveSeconds() {
        policy.estimate(4_000_000); // 80 % = 3.2 Mbit/s: the source fits
        assertThat(policy.choose(LADDER, 0, 0)).isEqualTo(0);
        assertThat(policy.choose(LADDER, 0, 4999 * MS)).isEqualTo(0);
        assertThat(policy.choose(LADDER, 0, 5000 * MS)).isEqualTo(2);
    }

    @Test
    void anEstimateThatFitsTheCurrentRungCancelsAPendingMove() {
        policy.estimate(4_000_000);
        policy.choose(LADDER, 0, 0);
        policy.estimate(900_000); // 720 kbit/s: only 360p
        assertThat(policy.choose(LADDER, 0, 3000 * MS)).isEqualTo(0);
        policy.estimate(4_000_000);
        assertThat(policy.choose(LADDER, 0, 6000 * MS)).as("high since 6 s").isEqualTo(0);
        assertThat(policy.choose(LADDER, 0, 11_000 * MS)).isEqualTo(2);
    }

    @Test
    void afterAMoveTheWaitStartsOver() {
        policy.estimate(1_000_000); // 360p only
        policy.choose(LADDER, 2, 0);
        assertThat(policy.choose(LADDER, 2, 1500 * MS)).isEqualTo(0);
        policy.estimate(1_600_000); // 480p fits: up, but only after 5 s from now
        assertThat(policy.choose(LADDER, 0, 1600 * MS)).isEqualTo(0);
        assertThat(policy.choose(LADDER, 0, 6599 * MS)).isEqualTo(0);
        assertThat(policy.choose(LADDER, 0, 6600 * MS)).isEqualTo(1);
    }

    @Test
    void aSingleRungHasNothingToChooseFrom() {
        policy.estimate(100_000);
        policy.choose(new long[] {3_000_000}, 0, 0);
        assertThat(policy.choose(new long[] {3_000_000}, 0, 10_000 * MS)).isZero();
    }
}
