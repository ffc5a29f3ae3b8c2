package io.meshlive.cluster.brain;

import io.meshlive.cluster.ClusterConfig;
import io.meshlive.cluster.store.CarriedStream;
import io.meshlive.cluster.store.NodeInfo;
import io.meshlive.core.StreamKey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers "which nodes should this viewer play from, with which URL": the client's address (from
 * {@code X-Forwarded-For} only behind a trusted proxy) gives its region through the prefix table,
 * and {@link AccessScheduler} ranks the live nodes. The delay between two regions is the configured
 * {@code cluster.schedule.regionDelayMs}, else half the smallest RTT measured between their nodes,
 * else {@code cluster.schedule.otherRegionMs}. Pure: the
 * caller reads the store.
 */
public final class ViewerSchedule {
    /** One node of an answer. */
    public record Choice(String node, String region, String url) {
    }

    /** The answer: the client's address and region (null when no prefix holds it), and the nodes best first. */
    public record Answer(String client, String clientRegion, List<Choice> nodes) {
    }

    private static final Map<String, String> ADDRESS_OF = Map.of("rtmp", "rtmp", "flv", "http", "hls", "http", "llhls", "http", "whep", "http");

    private final ClientAddress clients;
    private final RegionTable regions;
    private final ClusterConfig.Schedule config;
    /** {@code cluster.schedule.regionDelayMs} both ways, keyed {@code from>to}: read once, not per request. */
    private final Map<String, Double> configuredDelays = new HashMap<>();

    public ViewerSchedule(ClusterConfig.Schedule config) {
        this.config = config;
        this.clients = new ClientAddress(config.trustedProxies);
        this.regions = new RegionTable(config.regions);
        config.regionDelayMs.forEach((pair, ms) -> {
            String[] ab = pair.split("/", 2);
            if (ab.length == 2) {
                configuredDelays.put(ab[0] + '>' + ab[1], ms);
                configuredDelays.put(ab[1] + '>' + ab[0], ms);
            }
        });
    }

    /** The protocols a play URL can be made for. */
    public static Set<String> protocols() {
        return ADDRESS_OF.keySet();
    }

    /**
     * @param protocol one of {@link #protocols()}
     * @throws IllegalArgumentException naming the allowed protocols
     */
    public Answer schedule(StreamKey stream, String protocol, String peer, String forwardedFor, String client,
                           List<NodeInfo> nodes, List<LinkReport> links) {
        String address = ADDRESS_OF.get(protocol);
        if (address == null) {
            throw new IllegalArgumentException("protocol '" + truncate(protocol) + "'; allowed " + new java.util.TreeSet<>(protocols()));
        }
        String who = client != null && !client.isBlank() ? client : clients.resolve(peer, forwardedFor);
        String region = regions.regionOf(who).orElse(null);
        Map<String, String> regionOf = new HashMap<>();
        nodes.forEach(n -> regionOf.put(n.id(), n.region()));
        Map<String, Double> measured = new HashMap<>();
        for (LinkReport l : links) {
            String a = regionOf.get(l.from());
            String b = regionOf.get(l.to());
            if (a != null && b != null && l.impossibility() == null) {
                measured.merge(a + '>' + b, l.rttMillis() / 2, Math::min);
                measured.merge(b + '>' + a, l.rttMillis() / 2, Math::min);
            }
        }
        AccessScheduler scheduler = new AccessScheduler(BrainSettings.defaults(), (from, to) -> from != null && from.equals(to) ? 0
                : from == null ? config.otherRegionMs : configuredDelays.getOrDefault(from + '>' + to, measured.getOrDefault(from + '>' + to, config.otherRegionMs)), config.otherRegionMs);
        Set<String> carriers = new HashSet<>();
        List<NodeState> candidates = new ArrayList<>();
        Map<String, NodeInfo> byId = new LinkedHashMap<>();
        for (NodeInfo n : nodes) {
            if (n.addresses().get(address) == null) {
                continue;
            }
            byId.put(n.id(), n);
            candidates.add(NodeState.of(n));
            for (CarriedStream c : n.carried()) {
                if (c.stream().equals(stream.toString())) {
                    carriers.add(n.id());
                }
            }
        }
        List<Choice> out = new ArrayList<>();
        for (NodeState n : scheduler.pick(region, candidates, carriers, config.maxNodes)) {
            out.add(new Choice(n.id(), n.region(), url(protocol, byId.get(n.id()).addresses().get(address), stream)));
        }
        return new Answer(who, region, out);
    }

    static String url(String protocol, String hostPort, StreamKey s) {
        String path = s.app() + "/" + s.name();
        return switch (protocol) {
            case "rtmp" -> "rtmp://" + hostPort + "/" + path;
            case "flv" -> "http://" + hostPort + "/" + path + ".flv";
            case "hls" -> "http://" + hostPort + "/" + path + ".m3u8";
            case "llhls" -> "http://" + hostPort + "/" + path + "/index.m3u8";
            case "whep" -> "http://" + hostPort + "/" + path + "/whep";
            default -> throw new IllegalArgumentException(protocol);
        };
    }

    private static String truncate(String s) {
        return s == null ? "null" : s.length() <= 32 ? s : s.substring(0, 32) + "...";
    }
}
