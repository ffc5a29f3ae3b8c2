package io.meshlive.cluster.probe;

import io.meshlive.cluster.brain.LinkReport;
import io.meshlive.cluster.store.ControlStore;
import io.meshlive.cluster.store.NodeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import javax.crypto.Mac;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's quality agent: probes every peer the store lists (at the peer's {@code probe}
 * address) with small authenticated UDP pings, {@link #PROBE_MILLIS} apart, answers the peers'
 * pings, and once a second reports RTT, jitter and loss (EWMA) of each peer link to the store for
 * the brain's quality map. A datagram that is not a probe, fails the HMAC or comes from a node the
 * store does not list is dropped and counted; the first of them is logged. Two threads of its own
 * (a receiver blocked on the socket, a scheduler), never an event loop.
 */
public final class QualityAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QualityAgent.class);
    static final long PROBE_MILLIS = 200;
    private static final int ROUNDS_PER_REPORT = 5;
    static final long LOSS_AFTER_MILLIS = 1_000;

    private final ControlStore store;
    private final String nodeId;
    /** Signs the pings; used on the scheduler's thread only (a Mac is not thread-safe). */
    private final Mac pingHmac;
    /** Checks what arrives and signs the pongs; used on the receiver's thread only. */
    private final Mac receiveHmac;
    private final DatagramSocket socket;
    private final ScheduledExecutorService scheduler;
    private final Thread receiver;
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Map<String, PeerQuality> peers = new ConcurrentHashMap<>();
    /** Peer id → probe address, from the store's last node list. */
    private volatile Map<String, InetSocketAddress> addresses = Map.of();
    private volatile boolean closed;
    private int round;

    /** Binds {@code bindHost:port} (0 picks one) and starts probing. */
    public QualityAgent(ControlStore store, String nodeId, String secret, String bindHost, int port) throws SocketException {
        this.store = store;
        this.nodeId = nodeId;
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        this.pingHmac = ProbePacket.hmac(key);
        this.receiveHmac = ProbePacket.hmac(key);
        this.socket = new DatagramSocket(new InetSocketAddress(bindHost, port));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meshlive-probe");
            t.setDaemon(true);
            return t;
        });
        this.receiver = new Thread(this::receive, "meshlive-probe-rx");
        receiver.setDaemon(true);
        receiver.start();
        scheduler.scheduleWithFixedDelay(this::round, 0, PROBE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The UDP port probes reach this node at. */
    public int port() {
        return socket.getLocalPort();
    }

    /** Datagrams dropped so far (not probes, bad HMAC, unknown sender). */
    public long dropped() {
        return dropped.get();
    }

    /** This node's current figures for the link to {@code peer}, or null before a probe was answered. */
    public LinkReport link(String peer) {
        PeerQuality q = peers.get(peer);
        return q == null || !q.measured() ? null
                : new LinkReport(nodeId, peer, q.rttMillis(), q.jitterMillis(), q.loss(), System.currentTimeMillis());
    }

    private void round() {
        try {
            long now = System.nanoTime();
            for (Map.Entry<String, InetSocketAddress> e : addresses.entrySet()) {
                PeerQuality q = peers.computeIfAbsent(e.getKey(), k -> new PeerQuality());
                q.expire(now, TimeUnit.MILLISECONDS.toNanos(LOSS_AFTER_MILLIS));
                long s = seq.incrementAndGet();
                q.sent(s, now);
                send(new ProbePacket(true, s, now, nodeId).encode(pingHmac), e.getValue());
            }
            if (round++ % ROUNDS_PER_REPORT == 0) {
                report();
                // On the scheduler, not the store client's I/O thread: a probe address that is a
                // host name is resolved there (a DNS lookup would stall every store call).
                store.nodes().thenAcceptAsync(this::learnPeers, scheduler);
            }
        } catch (RuntimeException e) {
            log.warn("quality probe round failed: {}", e.toString()); // a scheduled task that throws would stop
        }
    }

    private void learnPeers(List<NodeInfo> nodes) {
        Map<String, InetSocketAddress> next = new HashMap<>();
        for (NodeInfo n : nodes) {
            String probe = n.addresses().get("probe");
            int colon = probe == null ? -1 : probe.lastIndexOf(':');
            if (n.id().equals(nodeId) || colon < 1) {
                continue;
            }
            try {
                next.put(n.id(), new InetSocketAddress(probe.substring(0, colon), Integer.parseInt(probe.substring(colon + 1))));
            } catch (IllegalArgumentException e) {
                log.debug("node {} advertises probe address '{}' that does not parse", n.id(), probe);
            }
        }
        addresses = next;
        peers.keySet().retainAll(next.keySet());
    }

    private void report() {
        List<LinkReport> links = new ArrayList<>();
        for (String peer : addresses.keySet()) {
            LinkReport r = link(peer);
            if (r != null) {
                links.add(r);
            }
        }
        if (!links.isEmpty()) {
            store.reportLinks(nodeId, links);
        }
    }

    private void receive() {
        byte[] buf = new byte[ProbePacket.MAX_BYTES + 1];
        DatagramPacket d = new DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                d.setLength(buf.length);
                socket.receive(d);
                long now = System.nanoTime();
                ProbePacket p = ProbePacket.decode(receiveHmac, buf, d.getLength());
                if (!addresses.containsKey(p.sender())) {
                    throw new ProbePacket.BadProbeException("sender '" + truncate(p.sender()) + "' is not a node of this cluster");
                }
                if (p.ping()) {
                    send(new ProbePacket(false, p.seq(), p.sentNanos(), nodeId).encode(receiveHmac), d.getSocketAddress());
                } else {
                    PeerQuality q = peers.get(p.sender());
                    if (q != null) {
                        q.answered(p.seq(), now);
                    }
                }
            } catch (ProbePacket.BadProbeException e) {
                if (dropped.getAndIncrement() == 0) {
                    log.warn("probe from {} dropped: {} (further drops are counted, not logged)", d.getSocketAddress(), e.getMessage());
                }
            } catch (IOException e) {
                if (!closed) {
                    log.warn("probe socket failed: {}", e.toString());
                }
            }
        }
    }

    private void send(byte[] bytes, java.net.SocketAddress to) {
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, to));
        } catch (IOException e) {
            log.debug("probe to {} not sent: {}", to, e.toString()); // the peer's loss figure will show it
        }
    }

    private static String truncate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        socket.close();
    }
}
