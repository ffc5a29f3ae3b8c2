package io.meshlive.cluster.route;

import io.meshlive.cluster.store.NodeInfo;
import io.meshlive.core.StreamKey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The classic static tree: an edge pulls from a core node of its own region, else of the region
 * {@code cluster.parentRegions} names for it; a core pulls from a core of its parent region when
 * it has one (so regions chain: edge → core → parent region's core → origin), else from the origin. Among several cores one is picked per stream by rendezvous hashing, so streams
 * spread over the cores and every edge of a region picks the same core for a stream (one pull per
 * stream per core); the other cores and then the origin are the backups.
 */
public final class StaticTreePlanner implements RoutePlanner {
    private final Map<String, String> parentRegions;

    public StaticTreePlanner(Map<String, String> parentRegions) {
        this.parentRegions = Map.copyOf(parentRegions);
    }

    @Override
    public List<String> parents(StreamKey stream, String origin, List<NodeInfo> nodes, NodeInfo self) {
        List<String> out = new ArrayList<>();
        if (origin.equals(self.id())) {
            return out;
        }
        boolean edgeOnly = self.roles().contains("edge") && !self.roles().contains("core");
        if (edgeOnly) {
            addCores(out, stream, origin, nodes, self, self.region());
        }
        if (edgeOnly || self.roles().contains("core")) {
            String up = parentRegions.get(self.region());
            if (up != null && !up.equals(self.region())) {
                addCores(out, stream, origin, nodes, self, up);
            }
        }
        out.add(origin);
        return out;
    }

    private static void addCores(List<String> out, StreamKey stream, String origin, List<NodeInfo> nodes, NodeInfo self,
                                 String region) {
        List<NodeInfo> cores = new ArrayList<>();
        for (NodeInfo n : nodes) {
            if (n.region().equals(region) && n.roles().contains("core") && !n.id().equals(self.id())
                    && !n.id().equals(origin) && !out.contains(n.id())) {
                cores.add(n);
            }
        }
        cores.sort(Comparator.comparingLong((NodeInfo n) -> score(stream, n.id())).reversed().thenComparing(NodeInfo::id));
        cores.forEach(n -> out.add(n.id()));
    }

    /** Rendezvous (highest random weight) score of a node for a stream: stable, and spread by a mix of both names. */
    static long score(StreamKey stream, String nodeId) {
        long h = 0x9E3779B97F4A7C15L;
        for (char c : (stream + "\n" + nodeId).toCharArray()) {
            h = (h ^ c) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
