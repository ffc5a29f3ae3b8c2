package io.meshlive.bench.lab;

import io.meshlive.testkit.lab.LinkSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lab cluster: its nodes (id, region, roles, and the link in front of the node's relay port) and
 * the static tree's parent regions. Read from lines such as
 * <pre>
 * # id  region  roles        link into this node's relay port (from any other node)
 * node  a       east  origin      delay=40ms,jitter=2ms
 * node  b       west  core        delay=2ms
 * node  c       west  edge        none
 * parent west east                # cluster.parentRegions: west's edges pull from west's cores, west's cores from east
 * </pre>
 * A node's link shapes every relay connection made to it: in a tree the children connect to their
 * parent, so a parent's link is the distance its children see.
 *
 * <p>Or the distance is by region pair, the same whoever connects to whom, with lines such as
 * {@code between east west delay=40ms} ({@code between east east delay=5ms} inside a region); then
 * every node's relay (TCP) and quality probes (UDP) are shaped by the pair of regions of the two
 * nodes, and node lines carry no link of their own. A pair without a line is not shaped.
 */
public record Topology(List<Node> nodes, Map<String, String> parentRegions, Map<String, LinkSpec> regionLinks) {
    public record Node(String id, String region, List<String> roles, LinkSpec link) {
    }

    public Topology(List<Node> nodes, Map<String, String> parentRegions) {
        this(nodes, parentRegions, Map.of());
    }

    /** Whether links are by region pair ({@code between} lines) rather than in front of single nodes. */
    public boolean byRegion() {
        return !regionLinks.isEmpty();
    }

    /** The link between two regions (either order), or {@link LinkSpec#NONE}. */
    public LinkSpec between(String region1, String region2) {
        return regionLinks.getOrDefault(pair(region1, region2), LinkSpec.NONE);
    }

    /** The key of a region pair in {@link #regionLinks}: both names in order, joined by '/'. */
    public static String pair(String region1, String region2) {
        return region1.compareTo(region2) <= 0 ? region1 + "/" + region2 : region2 + "/" + region1;
    }

    /**
     * Three regions of two nodes each, for the brain's proof: r1 (a origin, b edge), r2 (c core, d
     * edge), r3 (e core, f edge); 5 ms inside a region, r1-r2 40 ms, r2-r3 40 ms, and r1-r3 120 ms
     * with 0.5 % loss (the one lossy link). The static tree is the classic star: each region's core
     * pulls from the origin region, so r3 rides the long lossy link; r1 has no core, so its edge
     * pulls from the origin.
     */
    public static Topology threeRegions() {
        return parse(String.join("\n",
                "node a r1 origin",
                "node b r1 edge",
                "node c r2 core",
                "node d r2 edge",
                "node e r3 core",
                "node f r3 edge",
                "between r1 r1 delay=5ms,jitter=1ms",
                "between r2 r2 delay=5ms,jitter=1ms",
                "between r3 r3 delay=5ms,jitter=1ms",
                "between r1 r2 delay=40ms,jitter=2ms",
                "between r2 r3 delay=40ms,jitter=2ms",
                "between r1 r3 delay=120ms,jitter=4ms,loss=0.5%",
                "parent r2 r1",
                "parent r3 r1"));
    }

    /** Three nodes: an origin in east, 40 ms from a core in west, which is 2 ms from an edge in west. */
    public static Topology standard() {
        return parse(String.join("\n",
                "node a east origin delay=40ms,jitter=2ms",
                "node b west core delay=2ms",
                "node c west edge none",
                "parent west east"));
    }

    /** Parses the text; a bad line throws, naming its number and what is wrong. */
    public static Topology parse(String text) {
        List<Node> nodes = new ArrayList<>();
        Map<String, String> parents = new LinkedHashMap<>();
        Map<String, LinkSpec> between = new LinkedHashMap<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].replaceAll("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            try {
                switch (f[0]) {
                    case "node" -> {
                        if (f.length < 4 || f.length > 5) {
                            throw new IllegalArgumentException("expected: node <id> <region> <roles,...> [<link>]");
                        }
                        if (!f[1].matches("[A-Za-z0-9-]{1,32}")) {
                            throw new IllegalArgumentException("node id '" + f[1] + "': letters, digits and '-' only");
                        }
                        if (nodes.stream().anyMatch(n -> n.id().equals(f[1]))) {
                            throw new IllegalArgumentException("node '" + f[1] + "' twice");
                        }
                        List<String> roles = List.of(f[3].split(","));
                        for (String r : roles) {
                            if (!List.of("origin", "core", "edge").contains(r)) {
                                throw new IllegalArgumentException("role '" + r + "'; allowed origin, core, edge");
                            }
                        }
                        nodes.add(new Node(f[1], f[2], roles, f.length == 5 ? LinkSpec.parse(f[4]) : LinkSpec.NONE));
                    }
                    case "parent" -> {
                        if (f.length != 3) {
                            throw new IllegalArgumentException("expected: parent <region> <parent region>");
                        }
                        parents.put(f[1], f[2]);
                    }
                    case "between" -> {
                        if (f.length != 4) {
                            throw new IllegalArgumentException("expected: between <region> <region> <link>");
                        }
                        if (between.put(pair(f[1], f[2]), LinkSpec.parse(f[3])) != null) {
                            throw new IllegalArgumentException("regions " + pair(f[1], f[2]) + " twice");
                        }
                    }
                    default -> throw new IllegalArgumentException("'" + f[0] + "': lines start with node, parent or between");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("topology line " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("topology: no node lines");
        }
        if (!between.isEmpty()) {
            for (Node n : nodes) {
                if (!n.link().equals(LinkSpec.NONE)) {
                    throw new IllegalArgumentException("topology: node '" + n.id() + "' has a link of its own, and between lines"
                            + " shape links by region pair; use one or the other");
                }
            }
        }
        return new Topology(List.copyOf(nodes), Map.copyOf(parents), Map.copyOf(between));
    }
}
