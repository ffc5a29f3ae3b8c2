package io.meshlive.cluster.brain;

import io.meshlive.cluster.store.NodeLoad;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A small cluster to plan over: nodes with loads, links with RTTs (both directions), one clock. */
final class TestMesh {
    static final long GBPS = 1_000_000_000L;
    final Map<String, NodeState> nodes = new LinkedHashMap<>();
    final Map<String, Link> links = new LinkedHashMap<>();
    long now = 1_000_000;

    TestMesh node(String id, String region, double utilisation) {
        nodes.put(id, new NodeState(id, region, Set.of("origin", "core", "edge"),
                new NodeLoad(0, (long) (utilisation * GBPS), GBPS, 0, 0)));
        return this;
    }

    /** A node on a site of its own (links between sites are what the brain plans over). */
    TestMesh node(String id) {
        return node(id, id, 0);
    }

    TestMesh link(String a, String b, double rttMs) {
        return link(a, b, rttMs, 0);
    }

    TestMesh link(String a, String b, double rttMs, double loss) {
        links.put(a + ">" + b, new Link(a, b, rttMs, 0, loss, now));
        links.put(b + ">" + a, new Link(b, a, rttMs, 0, loss, now));
        return this;
    }

    TestMesh unlink(String a, String b) {
        links.remove(a + ">" + b);
        links.remove(b + ">" + a);
        return this;
    }

    TestMesh kill(String id) {
        nodes.remove(id);
        links.values().removeIf(l -> l.from().equals(id) || l.to().equals(id));
        return this;
    }

    List<NodeState> nodeList() {
        return new ArrayList<>(nodes.values());
    }

    DecisionCentre.Snapshot snapshot(DecisionCentre centre) {
        return centre.snapshot(nodeList(), new ArrayList<>(links.values()));
    }
}
