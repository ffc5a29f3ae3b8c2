package io.meshlive.cluster.brain;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DecisionCentreTest {
    private static final LiveStream LIVE = new LiveStream("live/a", "O", 2_000_000);

    private static ContentCentre content(String... viewerNodes) {
        ContentCentre c = new ContentCentre();
        c.streamStarted(LIVE);
        for (String n : viewerNodes) {
            c.carry(LIVE.stream(), n, 10);
        }
        return c;
    }

    private static BrainSettings settings(int hopLimit, double carryDiscountMs) {
        BrainSettings d = BrainSettings.defaults();
        return new BrainSettings(hopLimit, d.hopCostMs(), d.jitterWeight(), d.lossPenaltyMs(), d.loadPenaltyMs(),
                d.maxUtilisation(), carryDiscountMs, d.switchRatio(), d.switchMinGainMs(), d.switchHoldMillis());
    }

    @Test
    void nearViewerNodeIsOneHopFromTheOriginAndFarOneMayGoThroughARelay() {
        TestMesh m = new TestMesh().node("O").node("N").node("C").node("F")
                .link("O", "N", 4).link("O", "C", 60).link("C", "F", 10).link("O", "F", 200).link("N", "C", 58);
        DecisionCentre centre = new DecisionCentre(BrainSettings.defaults());
        assertThat(centre.recomputeAll(m.snapshot(centre), content("N", "F"), m.now)).isZero();
        assertThat(centre.route("live/a", "N").path()).containsExactly("O", "N");
        assertThat(centre.route("live/a", "F").path()).containsExactly("O", "C", "F");
        assertThat(centre.route("live/a", "C").primaryParent()).isEqualTo("O"); // the relay knows its parent too
    }

    /** V can pull from O through A (40 ms) or through B (60 ms). */
    private static TestMesh twoPaths() {
        return new TestMesh().node("O").node("A").node("B").node("V")
                .link("O", "A", 20).link("A", "V", 20).link("O", "B", 30).link("B", "V", 30);
    }

    @Test
    void hysteresisKeepsTheCurrentParentUntilAChallengerIsClearlyBetterForLongEnough() {
        TestMesh m = twoPaths();
        DecisionCentre centre = new DecisionCentre(BrainSettings.defaults());
        ContentCentre c = content("V");
        centre.recomputeAll(m.snapshot(centre), c, m.now);
        assertThat(centre.route("live/a", "V").primaryParent()).isEqualTo("A");

        m.link("O", "B", 18).link("B", "V", 18); // better, but by less than the switch margin
        for (int i = 0; i < 30; i++) {
            m.now += 1_000;
            centre.recomputeAll(m.snapshot(centre), c, m.now);
            assertThat(centre.route("live/a", "V").primaryParent()).isEqualTo("A");
        }

        m.link("O", "B", 6).link("B", "V", 6); // clearly better: held for switchHoldMillis first
        long since = m.now + 1_000;
        while (m.now < since + BrainSettings.defaults().switchHoldMillis() - 1_000) {
            m.now += 1_000;
            centre.recomputeAll(m.snapshot(centre), c, m.now);
            assertThat(centre.route("live/a", "V").primaryParent()).isEqualTo("A");
        }
        m.now += 2_000;
        centre.recomputeAll(m.snapshot(centre), c, m.now);
        assertThat(centre.route("live/a", "V").primaryParent()).isEqualTo("B");
        assertThat(centre.parentChanges()).isEqualTo(1);
    }

    @Test
    void aRouteWhoseLinkDegradedBadlyMovesAfterAFifthOfTheHold() {
        TestMesh m = twoPaths();
        DecisionCentre centre = new DecisionCentre(BrainSettings.defaults());
        ContentCentre c = content("V");
        centre.recomputeAll(m.snapshot(centre), c, m.now);
        assertThat(centre.route("live/a", "V").primaryParent()).isEqualTo("A");

        m.link("O", "A", 150); // congested: through A now costs 170 ms, through B 60 ms
        long hold = BrainSettings.defaults().switchHoldMillis() / 5;
        long since = m.now + 1_000;
        while (m.now < since + hold - 1_000) {
            m.now += 1_000;
            centre.recomputeAll(m.snapshot(centre), c, m.now);
            assertThat(centre.route("live/a", "V").primaryParent()).isEqualTo("A");
        }
        m.now += 2_000;
        centre.recomputeAll(m.snapshot(centre), c, m.now);
        assertThat(centre.route("live/a", "V").primaryParent()).as("moved %d ms after the degrade", m.now - since + 1_000)
                .isEqualTo("B");
        assertThat(centre.parentChanges()).isEqualTo(1);
    }

    @Test
    void aParentThatVanishesIsReplacedAtOnceWithoutHold() {
        TestMesh m = new TestMesh().node("O").node("A").node("B").node("V")
                .link("O", "A", 20).link("A", "V", 20).link("O", "B", 30).link("B", "V", 30);
        DecisionCentre centre = new DecisionCentre(BrainSettings.defaults());
        ContentCentre c = content("V");
        centre.recomputeAll(m.snapshot(centre), c, m.now);
        m.unlink("A", "V");
        m.now += 1;
        centre.recomputeAll(m.snapshot(centre), c, m.now);
        assertThat(centre.route("live/a", "V").primaryParent()).isEqualTo("B");
    }

    @Test
    void backupParentIsDisjointFromThePrimaryPath() {
        Random rnd = new Random(7);
        TestMesh m = new TestMesh();
        for (int i = 0; i < 40; i++) {
            m.node(i == 0 ? "O" : "n" + i);
        }
        List<String> ids = List.copyOf(m.nodes.keySet());
        for (int i = 0; i < ids.size(); i++) {
            for (int j = i + 1; j < ids.size(); j++) {
                if (rnd.nextDouble() < 0.3) {
                    m.link(ids.get(i), ids.get(j), 5 + rnd.nextInt(150));
                }
            }
        }
        ContentCentre c = content(ids.subList(1, 40).toArray(String[]::new));
        DecisionCentre centre = new DecisionCentre(BrainSettings.defaults());
        centre.recomputeAll(m.snapshot(centre), c, m.now);
        int withBackup = 0;
        for (Route r : centre.routes().get("live/a").values()) {
            if (r.backupParent() == null) {
                continue;
            }
            withBackup++;
            assertThat(r.backupParent()).isNotEqualTo(r.primaryParent());
            assertThat(r.backupPath().get(0)).isEqualTo("O");
            assertThat(r.backupPath().get(r.backupPath().size() - 1)).isEqualTo(r.node());
            Set<String> primaryInterior = new HashSet<>(r.path().subList(1, r.path().size() - 1));
            Set<String> backupInterior = new HashSet<>(r.backupPath().subList(1, r.backupPath().size() - 1));
            backupInterior.retainAll(primaryInterior);
            assertThat(backupInterior).as("shared relays of %s", r).isEmpty();
            assertThat(r.backupPath().size() - 1).isLessThanOrEqualTo(BrainSettings.defaults().hopLimit());
        }
        assertThat(withBackup).isGreaterThan(30);
    }

    @Test
    void hopLimitBoundsEveryPath() {
        TestMesh m = new TestMesh().node("O").node("1").node("2").node("3").node("4")
                .link("O", "1", 5).link("1", "2", 5).link("2", "3", 5).link("3", "4", 5);
        DecisionCentre three = new DecisionCentre(settings(3, 2));
        assertThat(three.recomputeAll(m.snapshot(three), content("3", "4"), m.now)).isEqualTo(1);
        assertThat(three.route("live/a", "3").hops()).isEqualTo(3);
        assertThat(three.route("live/a", "4")).isNull();

        m.link("O", "4", 400); // long, but within the limit: the only way
        DecisionCentre again = new DecisionCentre(settings(3, 2));
        assertThat(again.recomputeAll(m.snapshot(again), content("3", "4"), m.now)).isZero();
        assertThat(again.route("live/a", "4").path()).containsExactly("O", "4");
    }

    @Test
    void aLoadedRelayIsAvoided() {
        TestMesh m = new TestMesh().node("O").node("A", "A", 0.9).node("B", "B", 0.1).node("V")
                .link("O", "A", 20).link("A", "V", 20).link("O", "B", 24).link("B", "V", 24).link("O", "V", 300);
        DecisionCentre centre = new DecisionCentre(BrainSettings.defaults());
        centre.recomputeAll(m.snapshot(centre), content("V"), m.now);
        assertThat(centre.route("live/a", "V").primaryParent()).isEqualTo("B");

        TestMesh idle = new TestMesh().node("O").node("A").node("B").node("V")
                .link("O", "A", 20).link("A", "V", 20).link("O", "B", 24).link("B", "V", 24).link("O", "V", 300);
        DecisionCentre other = new DecisionCentre(BrainSettings.defaults());
        other.recomputeAll(idle.snapshot(other), content("V"), idle.now);
        assertThat(other.route("live/a", "V").primaryParent()).isEqualTo("A");
    }

    @Test
    void aNodeThatCarriesTheStreamAlreadyIsPreferredAsParent() {
        TestMesh m = new TestMesh().node("O").node("X").node("V")
                .link("O", "V", 20).link("O", "X", 10).link("X", "V", 8);
        DecisionCentre withDiscount = new DecisionCentre(settings(3, 2));
        withDiscount.recomputeAll(m.snapshot(withDiscount), content("X", "V"), m.now);
        assertThat(withDiscount.route("live/a", "V").path()).containsExactly("O", "X", "V");

        DecisionCentre without = new DecisionCentre(settings(3, 0));
        without.recomputeAll(m.snapshot(without), content("X", "V"), m.now);
        assertThat(without.route("live/a", "V").path()).containsExactly("O", "V");
    }

    @Test
    void aDeadNodeLosesItsDecisionsAndRoutesThroughItAreRecomputed() {
        TestMesh m = new TestMesh().node("O").node("A").node("B").node("V")
                .link("O", "A", 20).link("A", "V", 20).link("O", "B", 30).link("B", "V", 30);
        DecisionCentre centre = new DecisionCentre(BrainSettings.defaults());
        ContentCentre c = content("A", "V");
        centre.recomputeAll(m.snapshot(centre), c, m.now);
        assertThat(centre.route("live/a", "V").primaryParent()).isEqualTo("A");
        assertThat(centre.route("live/a", "V").backupParent()).isEqualTo("B");

        assertThat(centre.nodeGone("A")).containsExactly("live/a");
        assertThat(centre.route("live/a", "A")).isNull();
        m.kill("A");
        c.nodeGone("A");
        m.now += 1;
        centre.recompute(m.snapshot(centre), c, LIVE, m.now);
        assertThat(centre.route("live/a", "V").path()).containsExactly("O", "B", "V");
        assertThat(centre.routes().get("live/a")).doesNotContainKey("A");

        assertThat(centre.nodeGone("O")).isEmpty(); // the origin: the stream's decisions go with it
        assertThat(centre.routes()).doesNotContainKey("live/a");
    }

    @Test
    void placingANewViewerNodeHangsItOffTheExistingTree() {
        TestMesh m = new TestMesh().node("O").node("C").node("F1").node("F2")
                .link("O", "C", 100).link("C", "F1", 10).link("C", "F2", 10).link("O", "F2", 120).link("F1", "F2", 40);
        DecisionCentre centre = new DecisionCentre(BrainSettings.defaults());
        ContentCentre c = content("F1");
        DecisionCentre.Snapshot snap = m.snapshot(centre);
        centre.recomputeAll(snap, c, m.now);
        c.carry(LIVE.stream(), "F2", 1);
        Route placed = centre.place(snap, c, LIVE, "F2");
        assertThat(placed.path()).containsExactly("O", "C", "F2");
        assertThat(centre.route("live/a", "F1").path()).containsExactly("O", "C", "F1");
        assertThat(placed.backupParent()).isNotNull().isNotEqualTo("C");
    }

    @Test
    void lossyLinksCostMore() {
        TestMesh m = new TestMesh().node("O").node("A").node("B").node("V")
                .link("O", "A", 10).link("A", "V", 10, 0.05).link("O", "B", 30).link("B", "V", 30);
        DecisionCentre centre = new DecisionCentre(BrainSettings.defaults());
        centre.recomputeAll(m.snapshot(centre), content("V"), m.now);
        assertThat(centre.route("live/a", "V").primaryParent()).isEqualTo("B");
        assertThat(Map.copyOf(centre.routes()).keySet()).containsExactly("live/a");
    }
}
