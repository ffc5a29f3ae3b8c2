package io.meshlive.cluster.probe;

import io.meshlive.cluster.brain.LinkReport;
import io.meshlive.cluster.store.ControlStore;
import io.meshlive.cluster.store.NodeInfo;
import io.meshlive.cluster.store.NodeLoad;
import io.meshlive.cluster.store.RedisStores;
import io.meshlive.testkit.lab.LinkSpec;
import io.meshlive.testkit.lab.UdpLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two agents over real UDP sockets and a real redis-server; a's way to b goes through an emulated
 * link (20 ms each way, 10 % loss each way), b's way to a is direct. What they measure reaches the
 * store; forged and stranger probes are dropped and counted.
 */
class QualityAgentTest {
    private static final String SECRET = "cluster-secret";
    private final RedisStores stores = new RedisStores();

    @AfterEach
    void close() throws Exception {
        stores.close();
    }

    private static NodeInfo node(String id, int probePort) {
        return new NodeInfo(id, "r", Set.of("edge"), Map.of("probe", "127.0.0.1:" + probePort),
                new NodeLoad(0, 0, 0, 0, 0), System.currentTimeMillis(), List.of());
    }

    private static Optional<LinkReport> find(List<LinkReport> links, String from, String to) {
        return links.stream().filter(l -> l.from().equals(from) && l.to().equals(to)).findFirst();
    }

    @Test
    void measuresEmulatedDelayAndLossReportsThemAndDropsForgedProbes() throws Exception {
        ControlStore sa = stores.store("a");
        ControlStore sb = stores.store("b");
        QualityAgent a = new QualityAgent(sa, "a", SECRET, "127.0.0.1", 0);
        stores.closeLater(a);
        QualityAgent b = new QualityAgent(sb, "b", SECRET, "127.0.0.1", 0);
        stores.closeLater(b);
        UdpLink link = UdpLink.start(new InetSocketAddress("127.0.0.1", 0), new InetSocketAddress("127.0.0.1", b.port()),
                LinkSpec.delay(20).withLoss(10));
        stores.closeLater(link);
        // a is told b lives behind the emulated link; b knows a's own port.
        stores.everyBeat(() -> {
            sa.heartbeat(node("a", a.port()));
            sb.heartbeat(node("b", link.port()));
        });

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            List<LinkReport> links = sa.links().toCompletableFuture().get(5, TimeUnit.SECONDS);
            return find(links, "a", "b").map(l -> l.loss() > 0.02).orElse(false) && find(links, "b", "a").isPresent();
        });
        List<LinkReport> links = sa.links().toCompletableFuture().get(5, TimeUnit.SECONDS);
        LinkReport ab = find(links, "a", "b").orElseThrow();
        LinkReport ba = find(links, "b", "a").orElseThrow();
        System.out.printf("a->b over the emulated link (20 ms each way, 10 %% loss each way): rtt %.1f ms, jitter %.2f ms, loss %.3f%n",
                ab.rttMillis(), ab.jitterMillis(), ab.loss());
        System.out.printf("b->a direct on loopback: rtt %.2f ms, jitter %.2f ms, loss %.3f%n", ba.rttMillis(), ba.jitterMillis(), ba.loss());
        assertTrue(ab.rttMillis() >= 40, "the emulated link delays each way by 20 ms: " + ab);
        assertTrue(ab.impossibility() == null && ba.impossibility() == null);

        long before = a.dropped();
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            byte[] forged = new ProbePacket(true, 1, 1, "b").encode(ProbePacket.hmac("wrong".getBytes(StandardCharsets.UTF_8)));
            byte[] stranger = new ProbePacket(true, 1, 1, "mallory").encode(ProbePacket.hmac(SECRET.getBytes(StandardCharsets.UTF_8)));
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", a.port());
            s.send(new DatagramPacket(forged, forged.length, to));
            s.send(new DatagramPacket(stranger, stranger.length, to));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> a.dropped() >= before + 2);
    }
}
