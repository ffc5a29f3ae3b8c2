package io.meshlive.cluster.route;

import io.meshlive.cluster.store.NodeInfo;
import io.meshlive.cluster.store.NodeLoad;
import io.meshlive.core.StreamKey;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class StaticTreePlannerTest {
    private static final StreamKey SHOW = new StreamKey("live", "show");
    private final StaticTreePlanner planner = new StaticTreePlanner(Map.of("east", "west", "asia", "east"));

    private static NodeInfo node(String id, String region, String... roles) {
        return new NodeInfo(id, region, Set.of(roles), Map.of("relay", id + ":7935"), new NodeLoad(0, 0, 0, 0, 0), 0, List.of());
    }

    private final NodeInfo origin = node("o", "west", "origin");
    private final NodeInfo westCore = node("w1", "west", "core");
    private final NodeInfo eastCore1 = node("e1", "east", "core");
    private final NodeInfo eastCore2 = node("e2", "east", "core");
    private final NodeInfo eastEdge = node("x", "east", "edge");
    private final NodeInfo asiaEdge = node("y", "asia", "edge");
    private final List<NodeInfo> all = List.of(origin, westCore, eastCore1, eastCore2, eastEdge, asiaEdge);

    @Test
    void anEdgePullsFromACoreOfItsRegionThenTheOtherThenTheOrigin() {
        List<String> parents = planner.parents(SHOW, "o", all, eastEdge);
        assertThat(parents).hasSize(4);
        assertThat(parents.subList(0, 2)).containsExactlyInAnyOrder("e1", "e2");
        assertThat(parents.subList(2, 4)).containsExactly("w1", "o");
    }

    @Test
    void everyEdgeOfARegionPicksTheSameCoreForAStream() {
        NodeInfo otherEdge = node("x2", "east", "edge");
        assertThat(planner.parents(SHOW, "o", all, otherEdge).get(0)).isEqualTo(planner.parents(SHOW, "o", all, eastEdge).get(0));
    }

    @Test
    void anEdgeWithoutCoresInItsRegionUsesItsParentRegion() {
        assertThat(planner.parents(SHOW, "o", all, asiaEdge).subList(0, 2)).containsExactlyInAnyOrder("e1", "e2");
    }

    @Test
    void aCorePullsFromItsParentRegionsCoreThenTheOrigin() {
        assertThat(planner.parents(SHOW, "o", all, eastCore1)).containsExactly("w1", "o");
        assertThat(planner.parents(SHOW, "o", all, westCore)).containsExactly("o");
    }

    @Test
    void theOriginHasNoParentAndNoNodeIsItsOwnParent() {
        assertThat(planner.parents(SHOW, "o", all, origin)).isEmpty();
        assertThat(planner.parents(SHOW, "o", all, eastEdge)).doesNotContain("x");
    }
}
