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
 */
public record Topology(List<Node> nodes, Map<String, String> parentRegions) {
    public record Node(String id, String region, List<String> roles, LinkSpec link) {
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
                    default -> throw new IllegalArgumentException("'" + f[0] + "': lines start with node or parent");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("topology line " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("topology: no node lines");
        }
        return new Topology(List.copyOf(nodes), Map.copyOf(parents));
    }
}
