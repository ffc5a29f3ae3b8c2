package io.meshlive.cluster;

import io.meshlive.cluster.store.CarriedStream;
import io.meshlive.cluster.store.ControlStore;
import io.meshlive.cluster.store.ControlStores;
import io.meshlive.cluster.store.NodeInfo;
import io.meshlive.cluster.store.NodeLoad;
import io.meshlive.cluster.store.RecentNodes;
import io.meshlive.core.Hub;
import io.meshlive.core.Session;
import io.meshlive.core.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * This node as a member of the cluster: opens the control store {@code cluster.store} names (the
 * in-memory one without it, so a single node needs no configuration), says who it is and how
 * loaded it is every second, keeps the forbid list in sync each second, and closes the sessions
 * that kicks from other nodes name. Its own thread does all of it, never an event loop.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
    /** How often this node heartbeats: nobody's entry in the node list changes more often. */
    static final long BEAT_MILLIS = 1_000;

    private final ClusterConfig config;
    private final Hub hub;
    private final ControlStore store;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "meshlive-cluster");
        t.setDaemon(true);
        return t;
    });
    private volatile String relayAddress;
    private volatile String probeAddress;
    private volatile Supplier<List<CarriedStream>> carried;
    private final String nodeId;
    private final RecentNodes recentNodes;
    private Map<String, String> addresses;
    private volatile boolean joined;

    /** Creates the store; nothing talks to it before {@link #start}. */
    public ClusterNode(ClusterConfig config, Hub hub, String nodeId) {
        this.config = config;
        this.hub = hub;
        this.nodeId = nodeId;
        this.store = ControlStores.open(config);
        this.recentNodes = new RecentNodes(store, BEAT_MILLIS);
        this.carried = () -> PublishedStreams.carried(hub);
    }

    public ControlStore store() {
        return store;
    }

    /** The node list, read from the store at most once per heartbeat for every part of this node that asks. */
    public RecentNodes recentNodes() {
        return recentNodes;
    }

    /** This node's id in the cluster. */
    public String nodeId() {
        return nodeId;
    }

    /** The relay listener's {@code host:port}, once the relay has one (shown to other nodes as address {@code relay}). */
    public void setRelayAddress(String hostPort) {
        this.relayAddress = hostPort;
    }

    /** The quality agent's UDP {@code host:port} (shown to other nodes as address {@code probe}). */
    public void setProbeAddress(String hostPort) {
        this.probeAddress = hostPort;
    }

    /** What this node carries, for the cluster's stream tree; by default the streams published here. */
    public void setCarried(Supplier<List<CarriedStream>> carried) {
        this.carried = carried;
    }

    /**
     * Joins: opens the store, and starts the heartbeat and the forbid-list sync.
     *
     * @param host  the host the listeners are reached at (the bind address, or loopback for a wildcard bind)
     * @param ports listener ports by name: {@code rtmp}, {@code http}, {@code webrtc}
     */
    public void start(String host, Map<String, Integer> ports, ForbidSync forbids) {
        String advertised = config.advertiseHost.isBlank() ? host : config.advertiseHost;
        Map<String, String> a = new LinkedHashMap<>();
        ports.forEach((name, port) -> a.put(name, advertised + ":" + port));
        this.addresses = a;
        store.onKick(k -> {
            Session s = hub.sessions().get(k.sessionId());
            if (s != null) {
                log.info("session {} kicked from the cluster: {}", k.sessionId(), k.reason());
                s.close(k.reason());
            }
        });
        store.open(nodeId);
        scheduler.scheduleWithFixedDelay(() -> beat(forbids), 0, BEAT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void beat(ForbidSync forbids) {
        try {
            store.heartbeat(info()).whenComplete((ok, e) -> {
                if (e == null && !joined && config.enabled()) {
                    joined = true;
                    log.info("joined the cluster on {} as node {} (region {}, roles {})", store.describe(), nodeId, config.region, config.roles);
                }
            });
            forbids.reconcile();
        } catch (RuntimeException e) {
            log.warn("cluster heartbeat failed: {}", e.toString()); // keeps beating: a scheduled task that throws would stop
        }
    }

    /** What this node says of itself now. */
    public NodeInfo info() {
        Map<String, String> a = new LinkedHashMap<>(addresses);
        String relay = relayAddress;
        if (relay != null) {
            a.put("relay", relay);
        }
        String probe = probeAddress;
        if (probe != null) {
            a.put("probe", probe);
        }
        return new NodeInfo(nodeId, config.region, new LinkedHashSet<>(config.roles), a, load(), System.currentTimeMillis(), carried.get());
    }

    private NodeLoad load() {
        int viewers = 0;
        for (Session s : hub.sessions().all()) {
            if (s.role() == Session.Role.VIEWER) {
                viewers++;
            }
        }
        long egress = 0;
        List<Stream> streams = hub.streams().all();
        for (Stream s : streams) {
            egress += s.stats().bitrateOut();
        }
        return new NodeLoad(viewers, egress, config.capacityMbps * 1_000_000L, processCpu(), streams.size());
    }

    private static double processCpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            double load = os.getProcessCpuLoad();
            return load < 0 ? 0 : Math.round(load * 1000) / 1000.0;
        }
        return 0;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        store.close();
    }
}
