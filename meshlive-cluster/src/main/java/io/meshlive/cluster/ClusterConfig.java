package io.meshlive.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code cluster} block of the configuration. Without {@link #store} a node is a complete
 * single node (an in-memory control store, every role); with it, the node joins the fleet that
 * shares that store. Jackson binds it from YAML; {@link #validate} checks what Jackson cannot and
 * returns the first problem as a message naming the key, or null.
 */
public final class ClusterConfig {
    /** Empty: single node. {@code redis://host:port}, {@code redis-sentinel://...} or {@code redis://...,...} (Redis Cluster). */
    public String store = "";
    /** Unique in the cluster; empty = the host name and the HTTP port. */
    public String nodeId = "";
    /** Where this node is, for routes and viewer scheduling. */
    public String region = "default";
    /** origin, core, edge (any mix). */
    public List<String> roles = new ArrayList<>(List.of("origin", "core", "edge"));
    /** Shared by every node: relay connections and their frames are authenticated with HMAC over it. Required with a store. */
    public String secret = "";
    /** TCP port of the relay listener (node-to-node); 0 picks a free one. */
    public int relayPort = 7935;
    /** UDP port of the quality agent's probes (with {@code planner: brain}); 0 picks a free one. */
    public int probePort = 0;
    /** The host other nodes reach this one at (relay, and the play URLs the scheduler hands out); empty = the bind address, or loopback. */
    public String advertiseHost = "";
    /** A relayed stream with no readers for this long stops being pulled. */
    public int idlePullSeconds = 10;
    /** When a stream's origin node dies, viewers elsewhere are held this long for the host to republish on another node. */
    public int originGraceSeconds = 10;
    /** A parent that sends nothing (no frame, no ping) for this long is taken for dead and the next parent is used. */
    public int parentTimeoutMs = 300;
    /** Egress this node is sized for, for load penalties and scheduling. */
    public int capacityMbps = 1000;
    /** Static tree: region → the region whose core nodes its edges pull from (absent: straight from the origin). */
    public Map<String, String> parentRegions = new LinkedHashMap<>();
    /** Route planner: {@code tree} (static edge → core → origin) or {@code brain} (the decision centre's routes). */
    public String planner = "tree";
    /** Viewer access scheduling ({@code GET /api/v1/schedule}). */
    public Schedule schedule = new Schedule();

    /** {@code cluster.schedule}: where viewers are, and what a region away costs. */
    public static final class Schedule {
        /** Address prefix (CIDR) → region of the clients in it. */
        public Map<String, String> regions = new LinkedHashMap<>();
        /** Proxies (CIDR or address) whose {@code X-Forwarded-For} is believed. */
        public List<String> trustedProxies = new ArrayList<>();
        /** Viewer delay between regions as {@code "east/west": 40} (ms, either order); first choice over measured links. */
        public Map<String, Double> regionDelayMs = new LinkedHashMap<>();
        /** One-way delay assumed between two regions neither configured nor measured (same region: 0). */
        public double otherRegionMs = 50;
        /** Nodes in an answer at most. */
        public int maxNodes = 3;
    }

    public boolean enabled() {
        return !store.isBlank();
    }

    /** The first setting that cannot work, as {@code 'cluster.key': what is wrong}, or null. */
    public String validate() {
        if (enabled() && secret.isBlank()) {
            return "'cluster.secret': required with cluster.store (relays between nodes are authenticated with it)";
        }
        if (relayPort < 0 || relayPort > 65535) {
            return "'cluster.relayPort': " + relayPort + " is not a port; allowed 0-65535 (0 picks a free one)";
        }
        for (String pair : schedule.regionDelayMs.keySet()) {
            if (pair.split("/", -1).length != 2) {
                return "'cluster.schedule.regionDelayMs': key '" + pair + "' must name two regions as region1/region2";
            }
        }
        if (schedule.otherRegionMs < 0 || schedule.maxNodes < 1) {
            return "'cluster.schedule': otherRegionMs must be 0 or more and maxNodes 1 or more";
        }
        if (probePort < 0 || probePort > 65535) {
            return "'cluster.probePort': " + probePort + " is not a port; allowed 0-65535 (0 picks a free one)";
        }
        if (idlePullSeconds < 1) {
            return "'cluster.idlePullSeconds': " + idlePullSeconds + " is too small; allowed 1 or more";
        }
        if (originGraceSeconds < 0) {
            return "'cluster.originGraceSeconds': " + originGraceSeconds + " is too small; allowed 0 or more";
        }
        if (parentTimeoutMs < 50) {
            return "'cluster.parentTimeoutMs': " + parentTimeoutMs + " is too small; allowed 50 or more";
        }
        if (capacityMbps < 1) {
            return "'cluster.capacityMbps': " + capacityMbps + " is too small; allowed 1 or more";
        }
        for (String r : roles) {
            if (!List.of("origin", "core", "edge").contains(r)) {
                return "'cluster.roles': '" + r + "'; allowed origin, core, edge";
            }
        }
        for (String start : parentRegions.keySet()) {
            // Cores pull from their parent region's cores: a cycle would have them pull from each other.
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (String r = start; r != null; r = parentRegions.get(r)) {
                if (!seen.add(r)) {
                    return "'cluster.parentRegions': regions form a cycle through '" + start + "'; each region's parent must lead to none";
                }
            }
        }
        if (!List.of("tree", "brain").contains(planner)) {
            return "'cluster.planner': '" + planner + "'; allowed tree, brain";
        }
        return null;
    }
}
