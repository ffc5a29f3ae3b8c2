package io.meshlive.cluster;

import io.meshlive.cluster.relay.OriginClaims;
import io.meshlive.cluster.relay.RelayContext;
import io.meshlive.cluster.relay.RelayLinks;
import io.meshlive.cluster.relay.RelayServer;
import io.meshlive.cluster.relay.RelaySource;
import io.meshlive.cluster.brain.ClusterBrain;
import io.meshlive.cluster.probe.QualityAgent;
import io.meshlive.cluster.route.RoutePlanner;
import io.meshlive.cluster.route.StaticTreePlanner;
import io.meshlive.cluster.store.CarriedStream;
import io.meshlive.cluster.store.ControlStore;
import io.meshlive.cluster.store.NodeInfo;
import io.meshlive.cluster.store.NodeLoad;
import io.meshlive.cluster.store.RecentNodes;
import io.meshlive.core.Admission;
import io.meshlive.core.Hub;
import io.meshlive.core.LatencySummary;
import io.meshlive.core.Session;
import io.meshlive.core.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node's part in the cluster's data plane, in one object for the server to hold: the relay
 * listener other nodes pull from, relays pulled on demand (a local viewer of a stream published
 * on another node makes this node pull it once, through the planner's parent), and origin claims
 * for what is published here.
 */
public final class ClusterRelays implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterRelays.class);

    private final Hub hub;
    private final String nodeId;
    private final RelayServer server;
    private final OriginClaims claims;
    private final String relayAddress;
    /** Run with {@code cluster.planner: brain}, null with the static tree. */
    private final ClusterBrain brain;
    private final QualityAgent probes;

    /**
     * Starts the relay listener on {@code cluster.relayPort} at {@code bindHost} and registers the
     * on-demand relay source and the origin claims with the hub.
     *
     * @param nodes the node's shared node list ({@link ClusterNode#recentNodes})
     */
    public ClusterRelays(Hub hub, ClusterConfig config, ControlStore store, RecentNodes nodes, String nodeId, String bindHost)
            throws InterruptedException {
        this.hub = hub;
        this.nodeId = nodeId;
        this.server = new RelayServer(hub, nodeId, config.secret, bindHost, config.relayPort,
                Math.max(10, config.parentTimeoutMs / 3));
        String host = !config.advertiseHost.isBlank() ? config.advertiseHost
                : "0.0.0.0".equals(bindHost) || "::".equals(bindHost) ? "127.0.0.1" : bindHost;
        this.relayAddress = host + ":" + server.port();
        NodeInfo self = new NodeInfo(nodeId, config.region, Set.copyOf(config.roles), Map.of("relay", relayAddress),
                new NodeLoad(0, 0, 0, 0, 0), 0, List.of());
        RelayLinks links = new RelayLinks(hub, nodeId, config.secret, config.parentTimeoutMs, bindHost);
        boolean useBrain = "brain".equals(config.planner);
        this.probes = useBrain ? startProbes(store, nodeId, config, bindHost) : null;
        this.brain = useBrain ? new ClusterBrain(store, nodeId) : null;
        RoutePlanner tree = new StaticTreePlanner(config.parentRegions);
        RelayContext ctx = new RelayContext(hub, store, nodes, brain != null ? brain.planner(tree) : tree, links, self, config.parentTimeoutMs,
                Math.max(config.originGraceSeconds * 1000L, config.parentTimeoutMs * 3L));
        hub.onDemand(stream -> RelaySource.start(ctx, stream), config.idlePullSeconds * 1000L);
        this.claims = new OriginClaims(store, nodeId, hub.settings().takeover());
        hub.onPublish(claims);
        log.info("cluster: node {} (region {}, roles {}) relays on {}, control store {}", nodeId, config.region,
                config.roles, relayAddress, store.describe());
    }

    private static QualityAgent startProbes(ControlStore store, String nodeId, ClusterConfig config, String bindHost) {
        try {
            return new QualityAgent(store, nodeId, config.secret, bindHost, config.probePort);
        } catch (SocketException e) {
            throw new IllegalStateException("'cluster.probePort': cannot bind UDP " + bindHost + ":" + config.probePort + " (" + e.getMessage() + ")", e);
        }
    }

    /** {@code host:port} of the quality agent's UDP probes (the heartbeat's {@code probe} address), or null without the brain. */
    public String probeAddress() {
        return probes == null ? null : relayAddress.substring(0, relayAddress.lastIndexOf(':') + 1) + probes.port();
    }

    /** The check a publish goes through: this node must get (or hold) the stream's origin. */
    public Admission admission() {
        return claims;
    }

    /** {@code host:port} other nodes reach this node's relay listener at (its heartbeat's {@code relay} address). */
    public String relayAddress() {
        return relayAddress;
    }

    public String nodeId() {
        return nodeId;
    }

    /**
     * The streams this node carries, for its heartbeat: where each comes from, its viewers, how
     * far behind the host's ingest it is and what the last hop added (over about the last second).
     */
    public List<CarriedStream> carried() {
        List<CarriedStream> out = new ArrayList<>();
        for (Stream s : hub.streams().all()) {
            Session p = s.publisher();
            if (p == null) {
                continue;
            }
            String parent = null;
            LatencySummary hop = new LatencySummary(0, 0, 0, 0, 0);
            if (p instanceof RelaySource r) {
                parent = r.parentId();
                hop = r.hopLatency();
            }
            out.add(new CarriedStream(s.key().toString(), parent, s.subscriberCount(), s.stats().behindOrigin().p50(),
                    hop.p50(), hop.p99()));
        }
        return out;
    }

    /** For {@code GET /api/v1/relays}: each relayed stream, its parent, and what the hop adds. */
    public List<Object> status() {
        List<Object> out = new ArrayList<>();
        for (Stream s : hub.streams().all()) {
            if (s.publisher() instanceof RelaySource r) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("stream", s.key().toString());
                m.put("parent", r.parentId());
                m.put("sessionId", r.id());
                m.put("readers", s.subscriberCount());
                m.put("hopMicros", Map.of("recent", r.hopLatency(), "total", r.hopLatencyTotal()));
                m.put("behindOriginMicros", s.stats().behindOrigin());
                out.add(m);
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (brain != null) {
            brain.close();
            probes.close();
        }
        claims.close();
        server.close();
    }
}
