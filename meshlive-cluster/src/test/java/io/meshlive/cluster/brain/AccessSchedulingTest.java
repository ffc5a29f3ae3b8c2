package io.meshlive.cluster.brain;

import io.meshlive.cluster.store.NodeLoad;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessSchedulingTest {
    @Test
    void longestPrefixNamesTheRegion() {
        RegionTable t = new RegionTable(Map.of("10.0.0.0/8", "asia", "10.1.0.0/16", "eu", "2001:db8::/32", "us",
                "0.0.0.0/0", "world"));
        assertThat(t.regionOf("10.1.2.3")).contains("eu");
        assertThat(t.regionOf("10.2.2.3")).contains("asia");
        assertThat(t.regionOf("192.0.2.1")).contains("world");
        assertThat(t.regionOf("2001:db8::1")).contains("us");
        assertThat(t.regionOf("2001:db9::1")).isEmpty();
        assertThat(t.regionOf("example.com")).isEmpty();
        assertThatThrownBy(() -> new RegionTable(Map.of("10.0.0.0/33", "x"))).hasMessageContaining("10.0.0.0/33");
    }

    @Test
    void forwardedForIsBelievedOnlyFromTrustedProxies() {
        ClientAddress a = new ClientAddress(List.of("192.0.2.0/24", "198.51.100.7"));
        assertThat(a.resolve("203.0.113.9", "10.1.2.3")).isEqualTo("203.0.113.9");
        assertThat(a.resolve("192.0.2.5", "10.1.2.3")).isEqualTo("10.1.2.3");
        assertThat(a.resolve("192.0.2.5", "6.6.6.6, 10.1.2.3, 198.51.100.7")).isEqualTo("10.1.2.3");
        assertThat(a.resolve("192.0.2.5", "10.1.2.3, junk")).isEqualTo("192.0.2.5");
        assertThat(a.resolve("192.0.2.5", null)).isEqualTo("192.0.2.5");
    }

    @Test
    void nodesAreRankedByDistanceLoadAndWhetherTheyCarryTheStream() {
        Map<String, Double> delay = Map.of("eu|eu", 0.0, "eu|us", 40.0);
        AccessScheduler s = new AccessScheduler(BrainSettings.defaults(),
                (a, b) -> a.equals(b) ? 0 : delay.getOrDefault(a + "|" + b, delay.getOrDefault(b + "|" + a, 100.0)), 5);
        NodeState euIdle = node("eu-idle", "eu", 0.1);
        NodeState euBusy = node("eu-busy", "eu", 0.5);
        NodeState euFull = node("eu-full", "eu", 0.99);
        NodeState usIdle = node("us-idle", "us", 0.0);
        List<NodeState> all = List.of(usIdle, euFull, euBusy, euIdle);
        assertThat(s.pick("eu", all, Set.of(), 4)).extracting(NodeState::id)
                .containsExactly("eu-idle", "eu-busy", "us-idle", "eu-full");
        NodeState euIdle2 = node("eu-idle2", "eu", 0.1);
        assertThat(s.pick("eu", List.of(euIdle, euIdle2), Set.of("eu-idle2"), 1)).extracting(NodeState::id)
                .containsExactly("eu-idle2");
        assertThat(s.pick("us", all, Set.of(), 1)).extracting(NodeState::id).containsExactly("us-idle");
    }

    private static NodeState node(String id, String region, double utilisation) {
        return new NodeState(id, region, Set.of("edge"), new NodeLoad(0, (long) (utilisation * 1e9), 1_000_000_000L, 0, 0));
    }
}
