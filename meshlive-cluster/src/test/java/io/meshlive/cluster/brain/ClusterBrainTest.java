package io.meshlive.cluster.brain;

import io.meshlive.cluster.route.RoutePlanner;
import io.meshlive.cluster.route.StaticTreePlanner;
import io.meshlive.cluster.store.CarriedStream;
import io.meshlive.cluster.store.ControlStore;
import io.meshlive.cluster.store.NodeInfo;
import io.meshlive.cluster.store.NodeLoad;
import io.meshlive.cluster.store.RedisStores;
import io.meshlive.core.StreamKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two brains over a real redis-server and three nodes that beat and report links: one leads and
 * publishes, every node's book gets the decisions, the planner answers from them (and from the
 * static tree where there is none), the other brain carries on when one stops, and a node keeps
 * its last decisions when the store loses them.
 */
class ClusterBrainTest {
    private static final StreamKey SHOW = new StreamKey("live", "show");
    private final RedisStores stores = new RedisStores();

    @AfterEach
    void close() throws Exception {
        stores.close();
    }

    private static NodeInfo node(String id, String region, String role, List<CarriedStream> carried) {
        return new NodeInfo(id, region, Set.of(role), Map.of("relay", "127.0.0.1:1"),
                new NodeLoad(0, 0, 1_000_000_000, 0.1, carried.size()), System.currentTimeMillis(), carried);
    }

    private static LinkReport link(String from, String to, double rtt) {
        return new LinkReport(from, to, rtt, 0.5, 0, System.currentTimeMillis());
    }

    @Test
    void theLeaderPublishesRoutesEveryNodePlansFromThemAndKeepsThemWhenNoBrainAnswers() throws Exception {
        ControlStore a = stores.store("a");
        ControlStore b = stores.store("b");
        ControlStore c = stores.store("c");
        // a is the origin; c has viewers and a long direct link from a; b sits between them.
        stores.everyBeat(() -> {
            a.heartbeat(node("a", "east", "origin", List.of(new CarriedStream("live/show", null, 0, 0, 0, 0))));
            b.heartbeat(node("b", "mid", "core", List.of()));
            c.heartbeat(node("c", "west", "edge", List.of(new CarriedStream("live/show", "a", 5, 0, 0, 0))));
            a.claimOrigin(SHOW, "a");
            a.reportLinks("a", List.of(link("a", "b", 6), link("a", "c", 160)));
            b.reportLinks("b", List.of(link("b", "a", 6), link("b", "c", 8)));
            c.reportLinks("c", List.of(link("c", "a", 160), link("c", "b", 8)));
        });

        ClusterBrain brainA = new ClusterBrain(a, "a");
        stores.closeLater(brainA);
        ClusterBrain brainC = new ClusterBrain(c, "c");
        stores.closeLater(brainC);

        await().atMost(Duration.ofSeconds(30)).until(() -> brainC.decisions().route("live/show", "c") != null);
        Route atC = brainC.decisions().route("live/show", "c");
        System.out.println("decision for c: " + atC + " (version " + brainC.decisions().version() + ")");
        assertEquals(List.of("a", "b", "c"), atC.path(), "two short links beat the long direct one");

        RoutePlanner tree = new StaticTreePlanner(Map.of());
        RoutePlanner planner = brainC.planner(tree);
        List<NodeInfo> nodes = get(c.nodes());
        NodeInfo selfC = nodes.stream().filter(n -> n.id().equals("c")).findFirst().orElseThrow();
        List<String> parents = planner.parents(SHOW, "a", nodes, selfC);
        assertEquals("b", parents.get(0), "the brain's primary first");
        assertTrue(parents.containsAll(tree.parents(SHOW, "a", nodes, selfC)), "the tree's parents stay as a last resort");
        StreamKey other = new StreamKey("live", "other");
        assertEquals(tree.parents(other, "a", nodes, selfC), planner.parents(other, "a", nodes, selfC),
                "no decision: the static tree answers");
        assertEquals(tree.parents(SHOW, "b", nodes, selfC), planner.parents(SHOW, "b", nodes, selfC),
                "a decision made for another origin is not used");

        // One brain stops: decisions keep coming (from the other, after the lease lapses if it led).
        long before = brainC.decisions().version();
        brainA.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> brainC.decisions().version() > before);
        assertNotNull(brainC.decisions().route("live/show", "c"));

        // No brain, and the store forgets everything: the node keeps acting on its last decisions.
        brainC.close();
        stores.redis().flushAll();
        assertTrue(get(c.decisions()).isEmpty());
        get(brainC.decisions().pull());
        assertEquals(atC.path(), brainC.decisions().route("live/show", "c").path());
        assertEquals("b", planner.parents(SHOW, "a", nodes, selfC).get(0));
    }

    private static <T> T get(java.util.concurrent.CompletionStage<T> f) throws Exception {
        return f.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
