package io.meshlive.cluster.store;

import io.meshlive.cluster.brain.LinkReport;
import io.meshlive.cluster.brain.Route;
import io.meshlive.core.StreamKey;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link ControlStore} does, run against each implementation: TTL liveness, origin
 * claims and their epochs under races between two clients, versioned and pushed forbids that must
 * be seeded, kicks to the addressed node only.
 */
abstract class ControlStoreContract {
    /** A client of the implementation's shared store, opened as {@code nodeId} and ready for calls. */
    abstract ControlStore client(String nodeId);

    static <T> T get(java.util.concurrent.CompletionStage<T> f) {
        try {
            return f.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static NodeInfo node(String id) {
        return new NodeInfo(id, "east", Set.of("edge", "origin"), Map.of("http", "127.0.0.1:8080"),
                new NodeLoad(3, 2_000_000, 1_000_000_000, 0.25, 1), System.currentTimeMillis(),
                List.of(new CarriedStream("live/a", null, 3, 1200, 300, 900)));
    }

    private static final StreamKey SHOW = new StreamKey("live", "show");

    @Test
    void aNodeIsListedWhileItBeatsAndDropsOutWithinTheTtl() {
        ControlStore a = client("a");
        ControlStore b = client("b");
        get(a.heartbeat(node("a")));
        get(b.heartbeat(node("b")));
        List<NodeInfo> nodes = get(b.nodes());
        assertEquals(Set.of("a", "b"), Set.copyOf(nodes.stream().map(NodeInfo::id).toList()));
        NodeInfo seen = nodes.stream().filter(n -> n.id().equals("a")).findFirst().orElseThrow();
        assertEquals(node("a").load(), seen.load());
        assertEquals(node("a").carried(), seen.carried());
        assertEquals(node("a").addresses(), seen.addresses());
        // b keeps beating, a stops: a leaves the list, b stays.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            get(b.heartbeat(node("b")));
            assertEquals(List.of("b"), get(b.nodes()).stream().map(NodeInfo::id).toList());
        });
    }

    @Test
    void twoClientsRacingForOriginsGetOneHolderEach() {
        ControlStore a = client("a");
        ControlStore b = client("b");
        for (int i = 0; i < 30; i++) {
            StreamKey key = new StreamKey("live", "race" + i);
            CompletableFuture<OriginClaim> fa = a.claimOrigin(key, "a").toCompletableFuture();
            CompletableFuture<OriginClaim> fb = b.claimOrigin(key, "b").toCompletableFuture();
            OriginClaim ca = get(fa);
            OriginClaim cb = get(fb);
            assertTrue(ca.granted() ^ cb.granted(), "exactly one of a and b holds " + key + ": " + ca + " " + cb);
            assertEquals(ca.origin(), cb.origin(), "both name the same holder and epoch");
            assertEquals(ca.granted() ? "a" : "b", ca.origin().nodeId());
            assertEquals(Optional.of(ca.origin()), get(b.origin(key)));
        }
        assertEquals(30, get(a.origins()).size());
    }

    @Test
    void epochsGrowWithEachNewClaimAndOnlyTheHolderAtItsEpochReleases() {
        ControlStore a = client("a");
        ControlStore b = client("b");
        OriginClaim first = get(a.claimOrigin(SHOW, "a"));
        assertTrue(first.granted());
        OriginClaim renewed = get(a.claimOrigin(SHOW, "a"));
        assertTrue(renewed.granted());
        assertEquals(first.origin().epoch(), renewed.origin().epoch(), "a renewal keeps the epoch");
        OriginClaim refused = get(b.claimOrigin(SHOW, "b"));
        assertFalse(refused.granted());
        assertEquals(first.origin(), refused.origin());

        get(b.releaseOrigin(SHOW, "b", first.origin().epoch()));
        get(a.releaseOrigin(SHOW, "a", first.origin().epoch() + 1));
        assertEquals(Optional.of(first.origin()), get(b.origin(SHOW)), "neither another node nor another epoch releases");
        get(a.releaseOrigin(SHOW, "a", first.origin().epoch()));
        assertEquals(Optional.empty(), get(b.origin(SHOW)));
        assertEquals(List.of(), get(b.origins()));

        OriginClaim second = get(b.claimOrigin(SHOW, "b"));
        assertTrue(second.granted());
        assertEquals("b", second.origin().nodeId());
        assertTrue(second.origin().epoch() > first.origin().epoch(), second + " after " + first);
    }

    @Test
    void anOriginNotRenewedLapses() {
        ControlStore a = client("a");
        ControlStore b = client("b");
        OriginClaim first = get(a.claimOrigin(SHOW, "a"));
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(b.origin(SHOW)).isEmpty());
        OriginClaim taken = get(b.claimOrigin(SHOW, "b"));
        assertTrue(taken.granted());
        assertTrue(taken.origin().epoch() > first.origin().epoch());
    }

    @Test
    void forbidsNeedASeedThenAreVersionedAndPushed() {
        ControlStore a = client("a");
        ControlStore b = client("b");
        List<Long> pushedToB = new CopyOnWriteArrayList<>();
        b.onForbidsChanged(pushedToB::add);
        Forbid f = new Forbid(SHOW, "rights", 1_000, 0);

        CompletionException lost = assertThrows(CompletionException.class, () -> get(a.forbid(f)));
        assertInstanceOf(ForbidListLostException.class, lost.getCause());
        assertEquals(0L, get(b.seedForbids(new Versioned<>(0, List.of()))));

        long v1 = get(a.forbid(f));
        Versioned<List<Forbid>> list = get(b.forbids());
        assertEquals(v1, list.version());
        assertEquals(List.of(f), list.value());
        await().atMost(Duration.ofSeconds(5)).until(() -> pushedToB.contains(v1));

        assertEquals(Optional.empty(), get(a.lift(new StreamKey("live", "other"))));
        long v2 = get(a.lift(SHOW)).orElseThrow();
        assertTrue(v2 > v1);
        assertEquals(new Versioned<>(v2, List.of()), get(b.forbids()));
        await().atMost(Duration.ofSeconds(5)).until(() -> pushedToB.contains(v2));
    }

    @Test
    void aSeedFillsAStoreWithoutAListAndMergesIntoAnOlderOne() {
        ControlStore a = client("a");
        ControlStore b = client("b");
        List<Long> pushedToB = new CopyOnWriteArrayList<>();
        b.onForbidsChanged(pushedToB::add);
        Forbid kept = new Forbid(SHOW, "kept", 1_000, 0);
        Forbid older = new Forbid(new StreamKey("live", "older"), "older", 1_000, 5_000);
        assertEquals(40L, get(a.seedForbids(new Versioned<>(40, List.of(kept)))));
        await().atMost(Duration.ofSeconds(5)).until(() -> pushedToB.contains(40L));
        assertEquals(40L, get(b.seedForbids(new Versioned<>(39, List.of(older)))), "an older copy is ignored");
        assertEquals(new Versioned<>(40L, List.of(kept)), get(b.forbids()));
        assertEquals(41L, get(a.forbid(older)));
        List<Forbid> both = new ArrayList<>(get(b.forbids()).value());
        both.sort((x, y) -> x.reason().compareTo(y.reason()));
        assertEquals(List.of(kept, older), both);

        // A node whose copy is newer than the store's (the store lost its data, then took a write): merged, nothing lost.
        Forbid third = new Forbid(new StreamKey("live", "third"), "third", 1_000, 0);
        Forbid keptElsewhere = new Forbid(SHOW, "an older text of kept", 500, 0);
        assertEquals(51L, get(b.seedForbids(new Versioned<>(50, List.of(third, keptElsewhere)))));
        await().atMost(Duration.ofSeconds(5)).until(() -> pushedToB.contains(51L));
        List<Forbid> merged = new ArrayList<>(get(a.forbids()).value());
        merged.sort((x, y) -> x.reason().compareTo(y.reason()));
        assertEquals(List.of(kept, older, third), merged, "the store's own entry of a stream wins");
    }

    @Test
    void aKickReachesOnlyTheNodeItNames() {
        ControlStore a = client("a");
        ControlStore b = client("b");
        List<Kick> atA = new CopyOnWriteArrayList<>();
        List<Kick> atB = new CopyOnWriteArrayList<>();
        a.onKick(atA::add);
        b.onKick(atB::add);
        get(b.kick("nobody", 7, "gone"));
        get(b.kick("a", 42, "spam"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !atA.isEmpty());
        assertEquals(List.of(new Kick("a", 42, "spam")), atA);
        get(a.kick("b", 43, "spam"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !atB.isEmpty());
        assertEquals(List.of(new Kick("b", 43, "spam")), atB);
        assertNotEquals(atA, atB);
    }

    @Test
    void oneBrainHoldsTheLeaseUntilItStopsRenewingAndOnlyItPublishesAtHigherVersions() {
        ControlStore a = client("a");
        ControlStore b = client("b");
        List<Long> pushedToB = new CopyOnWriteArrayList<>();
        b.onDecisionsChanged(pushedToB::add);
        assertEquals(Optional.empty(), get(b.decisions()));
        assertTrue(get(a.acquireLease("brain-a", 800)));
        assertFalse(get(b.acquireLease("brain-b", 800)), "a holds the lease");
        assertTrue(get(a.acquireLease("brain-a", 800)), "its holder renews it");

        Route r = new Route("live/show", "n2", List.of("n1", "n2"), "n1", null, List.of(), 12.5);
        assertEquals(Optional.empty(), get(b.publishDecisions("brain-b", 1, List.of(r))), "only the leader publishes");
        assertEquals(Optional.of(1L), get(a.publishDecisions("brain-a", 1, List.of(r))));
        assertEquals(Optional.of(2L), get(a.publishDecisions("brain-a", 1, List.of())), "each publish is above the last");
        assertEquals(Optional.of(10L), get(a.publishDecisions("brain-a", 10, List.of(r))));
        await().atMost(Duration.ofSeconds(5)).until(() -> pushedToB.contains(10L));
        assertEquals(new Versioned<>(10L, List.of(r)), get(b.decisions()).orElseThrow());

        // a stops renewing: b takes over within the TTL and publishes above a's versions.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> get(b.acquireLease("brain-b", 800)));
        assertFalse(get(a.acquireLease("brain-a", 800)));
        assertEquals(Optional.empty(), get(a.publishDecisions("brain-a", 99, List.of())), "a deposed leader is fenced off");
        assertEquals(Optional.of(11L), get(b.publishDecisions("brain-b", 1, List.of())));
    }

    @Test
    void linkReportsAreReadByAllAndLapseWhenTheirNodeStopsReporting() {
        ControlStore a = client("a");
        ControlStore b = client("b");
        LinkReport ab = new LinkReport("a", "b", 12.5, 1.5, 0.02, 1_000);
        LinkReport ba = new LinkReport("b", "a", 13, 0.5, 0, 1_000);
        get(a.reportLinks("a", List.of(ab)));
        get(b.reportLinks("b", List.of(ba)));
        List<LinkReport> all = new ArrayList<>(get(b.links()));
        all.sort((x, y) -> x.from().compareTo(y.from()));
        assertEquals(List.of(ab, ba), all);
        LinkReport ab2 = new LinkReport("a", "b", 40, 3, 0.1, 2_000);
        get(a.reportLinks("a", List.of(ab2)));
        assertTrue(get(b.links()).contains(ab2) && !get(b.links()).contains(ab), "a report replaces the node's last");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            get(b.reportLinks("b", List.of(ba)));
            assertEquals(List.of(ba), get(a.links()));
        });
    }
}
