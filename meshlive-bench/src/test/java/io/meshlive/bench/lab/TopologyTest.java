package io.meshlive.bench.lab;

import io.meshlive.server.ServerConfig;
import io.meshlive.testkit.lab.LinkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lab's topology text, and node configs that the server itself reads back key for key. */
class TopologyTest {
    @Test
    void readsNodesLinksAndParents() {
        Topology t = Topology.parse("# a comment\nnode a east origin delay=40ms,jitter=2ms\nnode b west core,edge\nparent west east\n");
        assertThat(t.nodes()).containsExactly(
                new Topology.Node("a", "east", List.of("origin"), LinkSpec.delay(40).withJitter(2)),
                new Topology.Node("b", "west", List.of("core", "edge"), LinkSpec.NONE));
        assertThat(t.parentRegions()).isEqualTo(Map.of("west", "east"));
        assertThat(Topology.standard().nodes()).hasSize(3);
    }

    @Test
    void readsLinksByRegionPairEitherWayRound() {
        Topology t = Topology.parse("node a r1 origin\nnode f r3 edge\nbetween r3 r1 delay=120ms,loss=0.5%\nbetween r1 r1 delay=5ms\n");
        assertThat(t.byRegion()).isTrue();
        assertThat(t.between("r1", "r3")).isEqualTo(LinkSpec.delay(120).withLoss(0.5));
        assertThat(t.between("r3", "r1")).isEqualTo(LinkSpec.delay(120).withLoss(0.5));
        assertThat(t.between("r1", "r1")).isEqualTo(LinkSpec.delay(5));
        assertThat(t.between("r3", "r3")).isEqualTo(LinkSpec.NONE);
        assertThat(Topology.threeRegions().nodes()).hasSize(6);
        assertThatThrownBy(() -> Topology.parse("node a r1 origin delay=4ms\nbetween r1 r1 delay=5ms"))
                .hasMessageContaining("use one or the other");
        assertThatThrownBy(() -> Topology.parse("node a r1 origin\nbetween r1 r2 delay=5ms\nbetween r2 r1 delay=6ms"))
                .hasMessage("topology line 3: regions r1/r2 twice");
    }

    @Test
    void aBadLineIsNamed() {
        assertThatThrownBy(() -> Topology.parse("node a east origin\nnode b west relay\n"))
                .hasMessage("topology line 2: role 'relay'; allowed origin, core, edge");
        assertThatThrownBy(() -> Topology.parse("node a east origin dealy=4ms"))
                .hasMessageStartingWith("topology line 1: link 'dealy=4ms': unknown setting");
        assertThatThrownBy(() -> Topology.parse("edge a")).hasMessageContaining("lines start with node, parent or between");
    }

    @Test
    void everyNodeConfigIsOneTheServerAccepts(@TempDir Path dir) throws Exception {
        ClusterLab lab = new ClusterLab(Topology.standard(), dir, Path.of("./meshlive"), System.out);
        List<NodePlan> plans = lab.plan("redis://127.0.0.1:6379", "s3cret");
        for (NodePlan p : plans) {
            ServerConfig c = ServerConfig.load(p.configFile());
            assertThat(c.bind).isEqualTo(p.host());
            assertThat(c.rtmp.port).isEqualTo(p.rtmpPort());
            assertThat(c.cluster.store).isEqualTo("redis://127.0.0.1:6379");
            assertThat(c.cluster.nodeId).isEqualTo(p.node().id());
            assertThat(c.cluster.region).isEqualTo(p.node().region());
            assertThat(c.cluster.roles).isEqualTo(p.node().roles());
            assertThat(c.cluster.secret).isEqualTo("s3cret");
            assertThat(c.cluster.relayPort).isEqualTo(p.relayPort());
            assertThat(c.cluster.advertiseHost).isEqualTo(p.shaped() ? "127.0.1." + p.index() : p.host());
            assertThat(c.cluster.parentRegions).isEqualTo(Map.of("west", "east"));
            assertThat(c.cluster.probePort).isEqualTo(p.probePort());
            assertThat(c.cluster.planner).isEqualTo("tree");
            assertThat(c.cluster.parentTimeoutMs).isEqualTo(ClusterLab.DEFAULT_PARENT_TIMEOUT_MS);
            assertThat(c.webrtc.warmUpJoins).isZero();
        }
        System.out.println(Files.readString(plans.get(0).configFile()));
        System.out.println(plans.get(0).urls());
    }
}
