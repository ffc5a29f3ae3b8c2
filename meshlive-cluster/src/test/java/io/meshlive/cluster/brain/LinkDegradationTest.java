package io.meshlive.cluster.brain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When a link counts as clearly worse: the decision centre's switch bar, against a baseline that follows improvements. */
class LinkDegradationTest {
    private final LinkDegradation degradation = new LinkDegradation(BrainSettings.defaults());

    private static Link link(String from, String to, double rtt, double loss) {
        return new Link(from, to, rtt, 0, loss, 0);
    }

    @Test
    void aStepInDelayOrLossIsFlaggedOnceAndNoiseIsNot() {
        assertThat(degradation.worse(link("a", "c", 80, 0))).as("first figures: the baseline").isFalse();
        assertThat(degradation.worse(link("a", "c", 86, 0))).as("3 ms more one way: noise").isFalse();
        assertThat(degradation.worse(link("a", "c", 280, 0))).as("100 ms more one way").isTrue();
        assertThat(degradation.worse(link("a", "c", 282, 0))).as("the new level is the baseline now").isFalse();
        assertThat(degradation.worse(link("a", "c", 282, 0.1))).as("10 % loss costs 200 ms").isTrue();
        assertThat(degradation.worse(link("c", "a", 282, 0.1))).as("each direction has its own baseline").isFalse();
    }

    @Test
    void aSlowDriftIsFlaggedOnceItAddsUpAndTheBaselineFollowsImprovements() {
        degradation.worse(link("a", "c", 100, 0));
        degradation.worse(link("a", "c", 40, 0)); // better: the baseline follows it down
        boolean flagged = false;
        double rtt = 40;
        for (int i = 0; i < 20 && !flagged; i++) {
            rtt += 2; // 1 ms one way per report: never a step on its own
            flagged = degradation.worse(link("a", "c", rtt, 0));
        }
        assertThat(flagged).isTrue();
        assertThat(rtt).as("flagged once 20 ms over 40 ms of RTT had added up (the 15 %% and 5 ms bar)").isLessThanOrEqualTo(52);
    }

    @Test
    void aNodeThatLeftIsForgotten() {
        degradation.worse(link("a", "c", 280, 0));
        degradation.forgetNode("c");
        assertThat(degradation.worse(link("a", "c", 400, 0))).as("no baseline left: the new figures are the baseline").isFalse();
    }
}
