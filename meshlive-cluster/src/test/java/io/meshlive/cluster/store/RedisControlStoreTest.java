package io.meshlive.cluster.store;

import io.meshlive.core.StreamKey;
import io.meshlive.testkit.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract against a real redis-server, and what only a remote store has: outages, bad entries, URIs. */
class RedisControlStoreTest extends ControlStoreContract {
    private static RedisServer redis;
    private final List<ControlStore> clients = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void empty() {
        if (!redis.running()) {
            redis.restart();
        }
        redis.flushAll();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(ControlStore::close);
    }

    @Override
    ControlStore client(String nodeId) {
        RedisControlStore c = new RedisControlStore(redis.uri());
        clients.add(c);
        List<Boolean> availability = new CopyOnWriteArrayList<>();
        c.onAvailability(availability::add);
        c.open(nodeId);
        await().atMost(Duration.ofSeconds(10)).until(() -> availability.contains(true));
        return c;
    }

    @Test
    void whileRedisIsDownCallsFailFastAndItComesBackWithItsSubscriptions() {
        ControlStore a = client("a");
        ControlStore b = client("b");
        List<Boolean> availability = new CopyOnWriteArrayList<>();
        a.onAvailability(availability::add);
        List<Long> pushed = new CopyOnWriteArrayList<>();
        a.onForbidsChanged(pushed::add);

        redis.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> availability.contains(false));
        long t0 = System.nanoTime();
        CompletionException down = assertThrows(CompletionException.class, () -> get(a.heartbeat(node("a"))));
        System.out.printf("a call with Redis down failed in %.1f ms: %s%n", (System.nanoTime() - t0) / 1e6, down.getCause().getMessage());
        assertInstanceOf(StoreUnavailableException.class, down.getCause());

        redis.restart();
        await().atMost(Duration.ofSeconds(15)).until(() -> availability.size() >= 2 && availability.get(availability.size() - 1));
        assertEquals(List.of(false, true), availability, "one report each way");
        get(a.heartbeat(node("a")));
        assertEquals(List.of("a"), get(b.nodes()).stream().map(NodeInfo::id).toList());
        // Redis came back empty: the forbid list must be seeded again, and pushes still arrive (re-subscribed).
        CompletionException lost = assertThrows(CompletionException.class, () -> get(b.forbid(new Forbid(new StreamKey("live", "x"), "r", 1, 0))));
        assertInstanceOf(ForbidListLostException.class, lost.getCause());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            get(b.seedForbids(new Versioned<>(7, List.of())));
            assertTrue(pushed.contains(7L));
        });
    }

    @Test
    void aStoreOpenedWhileRedisIsDownConnectsWhenItStarts() {
        redis.stop();
        RedisControlStore late = new RedisControlStore(redis.uri());
        clients.add(late);
        List<Boolean> availability = new CopyOnWriteArrayList<>();
        late.onAvailability(availability::add);
        late.open("late");
        await().atMost(Duration.ofSeconds(10)).until(() -> availability.contains(false));
        assertThrows(CompletionException.class, () -> get(late.nodes()));
        redis.restart();
        await().atMost(Duration.ofSeconds(15)).until(() -> availability.contains(true));
        get(late.heartbeat(node("late")));
        assertEquals(1, get(late.nodes()).size());
    }

    @Test
    void entriesThatDoNotParseAreIgnored() {
        ControlStore a = client("a");
        get(a.heartbeat(node("a")));
        redis.command("SET", "{meshlive}:node:junk", "{not json");
        redis.command("SADD", "{meshlive}:nodes", "junk");
        redis.command("SET", "{meshlive}:origin:live/junk", "no-epoch");
        redis.command("SADD", "{meshlive}:origins", "live/junk", "../bad");
        redis.command("SET", "{meshlive}:origin:../bad", "1:a");
        redis.command("SET", "{meshlive}:forbids:version", "3");
        redis.command("HSET", "{meshlive}:forbids", "live/junk", "[]");
        redis.command("PUBLISH", "{meshlive}:forbids", "not-a-version");
        assertEquals(List.of("a"), get(a.nodes()).stream().map(NodeInfo::id).toList());
        assertEquals(List.of(), get(a.origins()));
        assertEquals(new Versioned<>(3L, List.of()), get(a.forbids()));
        // A claim over an entry that does not parse takes the stream.
        assertTrue(get(a.claimOrigin(new StreamKey("live", "junk"), "a")).granted());
    }

    @Test
    void storeUrisNameOneServerSentinelOrClusterSeeds() {
        assertEquals(1, RedisLink.seeds("redis://h:6379").size());
        assertEquals(1, RedisLink.seeds("rediss://user:pw@h:6380/2").size());
        assertEquals(1, RedisLink.seeds("redis-sentinel://s1:26379,s2:26379#mymaster").size());
        assertEquals(List.of("a", "b", "c"), RedisLink.seeds("redis://:pw@a:7000,b:7001,c:7002").stream().map(u -> u.getHost()).toList());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new RedisControlStore("http://h:6379"));
        assertTrue(bad.getMessage().contains("cluster.store"), bad.getMessage());
        try (RedisControlStore s = new RedisControlStore("redis://:secret@h:6379")) {
            assertEquals("redis://h:6379", s.describe(), "no password in logs");
        }
    }
}
