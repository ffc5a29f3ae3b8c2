package io.meshlive.bench.lab;

import io.meshlive.testkit.lab.LinkSpec;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One lab node's addresses and the configuration file it runs with. Each node has its own
 * loopback address ({@code 127.0.0.N}) for everything it listens on; when its link shapes
 * anything, the node advertises {@code 127.0.1.N} instead, where the link emulator listens on the
 * same relay port and forwards to the node, so every other node's relay connections cross it.
 * With links by region pair the link listens on the probe port too (UDP), and shapes each peer by
 * its source address ({@code 127.0.0.M}: nodes open relay links from their bind address).
 */
public record NodePlan(Topology.Node node, int index, int rtmpPort, int httpPort, int webrtcPort, int relayPort, int probePort,
                       boolean byRegion, Path dir) {
    public String host() {
        return "127.0.0." + index;
    }

    public boolean shaped() {
        return byRegion || !node.link().equals(LinkSpec.NONE);
    }

    /** Where other nodes reach this node's relay port: the link's address when shaped. */
    public String advertiseHost() {
        return shaped() ? "127.0.1." + index : host();
    }

    public Path configFile() {
        return dir.resolve("meshlive.yaml");
    }

    /** The node's YAML configuration: ports, data directory, and the {@code cluster} block ({@code planner}: tree or brain). */
    public String config(String store, String secret, Map<String, String> parentRegions, String planner, int parentTimeoutMs) {
        String parents = parentRegions.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", ", "{", "}"));
        return String.join("\n",
                "bind: " + host(),
                "dataDir: " + dir.resolve("data"),
                "rtmp:",
                "  port: " + rtmpPort,
                "http:",
                "  port: " + httpPort,
                "webrtc:",
                "  port: " + webrtcPort,
                "  candidates: [" + host() + "]",
                "  warmUpJoins: 0", // the lab's nodes share a machine, and no join surge is what it measures
                "stats:",
                "  logIntervalSeconds: 1", // the API's figures (behind the host's ingest) cover the last second
                "cluster:",
                "  store: " + store,
                "  nodeId: " + node.id(),
                "  region: " + node.region(),
                "  roles: [" + String.join(", ", node.roles()) + "]",
                "  secret: " + secret,
                "  relayPort: " + relayPort,
                "  probePort: " + probePort,
                "  planner: " + planner,
                "  parentTimeoutMs: " + parentTimeoutMs,
                "  advertiseHost: " + advertiseHost(),
                "  parentRegions: " + parents,
                "");
    }

    /** What a user types to reach this node. */
    public String urls() {
        String http = "http://" + host() + ":" + httpPort;
        return String.format("%s (%s, %s)%n    publish/play rtmp://%s:%d/live/{stream}%n    play %s/live/{stream}.flv  %s/live/{stream}/index.m3u8"
                        + "  WHEP %s/live/{stream}/whep%n    API %s/api/v1  console %s/%n    relay %s:%d%s",
                node.id(), node.region(), String.join(",", node.roles()), host(), rtmpPort, http, http, http, http, http,
                advertiseHost(), relayPort, byRegion ? " and probes " + advertiseHost() + ":" + probePort + " (through links by region pair to "
                        + host() + ")" : shaped() ? " (through the link " + node.link() + " to " + host() + ":" + relayPort + ")" : "");
    }
}
