package io.meshlive.cluster.brain;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BrainTest {
    private static final LiveStream LIVE = new LiveStream("live/a", "O", 2_000_000);

    private final TestMesh mesh = new TestMesh().node("O").node("A").node("B").node("V")
            .link("O", "A", 20).link("A", "V", 20).link("O", "B", 30).link("B", "V", 30);
    private final QualityMap map = new QualityMap(1, 5_000, mesh.nodes::containsKey);
    private final DecisionCentre centre = new DecisionCentre(BrainSettings.defaults());
    private final List<Long> versions = new ArrayList<>();
    private final List<Map<String, Map<String, Route>>> published = new ArrayList<>();
    private boolean leading = true;
    private final Brain brain = new Brain("b1", centre, map, (id, ttl) -> leading,
            (version, routes) -> {
                versions.add(version);
                published.add(routes);
            }, 10_000, 3_000);
    private final ContentCentre content = new ContentCentre();

    BrainTest() {
        content.streamStarted(LIVE);
        content.carry("live/a", "A", 3);
        content.carry("live/a", "V", 5);
        probe();
    }

    private void probe() {
        for (Link l : mesh.links.values()) {
            map.report(new LinkReport(l.from(), l.to(), l.rttMillis(), 0, 0, mesh.now));
        }
    }

    @Test
    void onlyTheLeaderPublishesAndEachPublicationHasAHigherVersion() {
        leading = false;
        assertThat(brain.tick(mesh.nodeList(), content, mesh.now)).isFalse();
        assertThat(versions).isEmpty();
        leading = true;
        assertThat(brain.tick(mesh.nodeList(), content, mesh.now)).isTrue();
        mesh.now += 1_000;
        assertThat(brain.tick(mesh.nodeList(), content, mesh.now)).isFalse(); // nothing due
        brain.streamStarted("live/a");
        assertThat(brain.tick(mesh.nodeList(), content, mesh.now)).isTrue();
        assertThat(versions).containsExactly(1L, 2L);
        assertThat(published.get(1).get("live/a").get("V").primaryParent()).isEqualTo("A");
    }

    @Test
    void aDeadNodeLosesItsDecisionsAtOnceAndItsStreamsAreRecomputedAtTheNextTick() {
        brain.tick(mesh.nodeList(), content, mesh.now);
        assertThat(centre.route("live/a", "V").backupParent()).isEqualTo("B");

        mesh.kill("A");
        content.nodeGone("A");
        brain.nodeDied("A");
        assertThat(centre.route("live/a", "A")).isNull();
        mesh.now += 300;
        assertThat(brain.tick(mesh.nodeList(), content, mesh.now)).isTrue();
        assertThat(centre.route("live/a", "V").path()).containsExactly("O", "B", "V");
    }

    @Test
    void aRecomputationThatFailsPublishesNothingAndTheLastDecisionsStand() {
        brain.tick(mesh.nodeList(), content, mesh.now);
        List<NodeState> broken = new ArrayList<>(mesh.nodeList());
        broken.add(new NodeState("X", "X", java.util.Set.of("edge"), null)); // a node without load: the planner throws
        mesh.now += 10_000;
        assertThat(brain.tick(broken, content, mesh.now)).isFalse();
        assertThat(versions).containsExactly(1L);
        assertThat(centre.route("live/a", "V").primaryParent()).isEqualTo("A");
        mesh.now += 1_000;
        assertThat(brain.tick(mesh.nodeList(), content, mesh.now)).isTrue();
        assertThat(versions).containsExactly(1L, 2L);
    }

    @Test
    void aDegradedLinkGetsItsStreamsRecomputed() {
        brain.tick(mesh.nodeList(), content, mesh.now);
        mesh.now += 1_000;
        mesh.unlink("A", "V");
        probe();
        mesh.now += 5_001; // the A-V link goes stale
        probe();
        brain.linkDegraded("A", "V");
        assertThat(brain.tick(mesh.nodeList(), content, mesh.now)).isTrue();
        assertThat(centre.route("live/a", "V").primaryParent()).isEqualTo("B");
    }
}
