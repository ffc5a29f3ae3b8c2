package io.meshlive.cluster.brain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The delivery tree of one stream while a planning round builds it, and the routes read off it.
 * {@link DecisionCentre} decides which routes to keep and which nodes to place; this class holds
 * the tree those decisions grow (each node's parent and hop count) and picks each node's disjoint
 * backup parent. Its arrays are sized once per snapshot and reused for every stream of the round
 * (cleared by {@link #clear()} after each), so a round allocates nothing per node and stream.
 */
final class StreamTree {
    private static final int BACKUP_CANDIDATES_PER_SITE = 3;

    private final MeshGraph graph;
    private final PathSearch search;
    private final BrainSettings settings;
    /** Node → its parent in the tree; valid only where {@link #treeHops} is set. */
    private final int[] treeParent;
    /** Node → its hops from the origin, or -1 when it is not in the tree. */
    private final int[] treeHops;
    /** The nodes in the tree, in the order they were added (the origin first). */
    final List<Integer> committed = new ArrayList<>();
    /** Site → the cheapest few nodes that could feed one more node (see {@link #prepareBackups()}). */
    private final int[][] backupCandidates;
    /** Scratch for the search's paths; two, because a backup's path is checked while the primary's is in use. */
    private final int[] chain;
    private final int[] otherChain;

    StreamTree(MeshGraph graph, PathSearch search, BrainSettings settings) {
        this.graph = graph;
        this.search = search;
        this.settings = settings;
        this.treeParent = new int[graph.size()];
        this.treeHops = new int[graph.size()];
        Arrays.fill(treeHops, -1);
        this.backupCandidates = new int[graph.sites()][BACKUP_CANDIDATES_PER_SITE];
        this.chain = new int[settings.hopLimit() + 1];
        this.otherChain = new int[settings.hopLimit() + 1];
    }

    /** Node {@code node}'s hops from the origin, or -1 when it is not in the tree. */
    int hops(int node) {
        return treeHops[node];
    }

    /** Node {@code node}'s parent in the tree. */
    int parent(int node) {
        return treeParent[node];
    }

    /** Puts the nodes of the search's path to {@code target} in the tree, below the tree node that path starts at. */
    void addSearchPath(int target) {
        int n = search.pathTo(target, chain);
        for (int i = 1; i < n; i++) {
            commit(chain[i], treeHops[chain[0]] + i, chain[i - 1]);
        }
    }

    /** Adds {@code node} to the tree, {@code hops} from the origin, below {@code parent} (-1 for the origin). */
    void commit(int node, int hops, int parent) {
        treeHops[node] = hops;
        treeParent[node] = parent;
        committed.add(node);
    }

    /** Empties the tree for the round's next stream (only the entries set, not the whole arrays). */
    void clear() {
        for (int x : committed) {
            treeHops[x] = -1;
        }
        committed.clear();
    }

    /**
     * Adds target {@code t} to the stream's tree along its cheapest path. A path that starts at a kept
     * route brings that route's relays in; a path that would give a node already in the tree a second
     * parent (possible when the hop limit binds) is replaced by the cheapest link from a tree node.
     */
    boolean place(Map<String, Route> current, int origin, int t) {
        if (treeHops[t] >= 0) {
            return true;
        }
        MeshGraph g = graph;
        int n = search.pathTo(t, chain);
        int seed = chain[0];
        if (seed != origin && treeHops[seed] < 0) {
            List<String> path = current.get(g.ids[seed]).path();
            for (int i = 1; i < path.size(); i++) {
                int x = g.index.get(path.get(i));
                if (treeHops[x] < 0) {
                    commit(x, i, g.index.get(path.get(i - 1)));
                }
            }
        }
        int base = treeHops[seed];
        boolean consistent = true;
        for (int i = 1; i < n; i++) {
            int x = chain[i];
            if (treeHops[x] >= 0 && (treeHops[x] != base + i || treeParent[x] != chain[i - 1])) {
                consistent = false;
                break;
            }
        }
        if (consistent) {
            for (int i = 1; i < n; i++) {
                if (treeHops[chain[i]] < 0) {
                    commit(chain[i], base + i, chain[i - 1]);
                }
            }
            return true;
        }
        int best = -1;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int w : committed) {
            if (treeHops[w] < settings.hopLimit() && g.linked(w, t) && (!g.full[w] || w == origin)) {
                double c = treeCost(w) + search.cost(w, t);
                if (c < bestCost) {
                    best = w;
                    bestCost = c;
                }
            }
        }
        if (best < 0) {
            return false;
        }
        commit(t, treeHops[best] + 1, best);
        return true;
    }

    private double treeCost(int node) {
        double c = 0;
        for (int x = node; treeHops[x] > 0; x = treeParent[x]) {
            c += search.cost(treeParent[x], x);
        }
        return c;
    }

    /** For each site, the cheapest few nodes that could feed one more node within the hop limit. */
    void prepareBackups() {
        MeshGraph g = graph;
        for (int[] c : backupCandidates) {
            Arrays.fill(c, PathSearch.NONE);
        }
        for (int w = 0; w < g.size(); w++) {
            if (!search.reached(w) || search.hopsTo(w) >= settings.hopLimit() || (g.full[w] && !search.isSeeded(w))) {
                continue;
            }
            int[] c = backupCandidates[g.site[w]];
            double cost = search.costTo(w) + g.senderPenaltyMs[w];
            for (int k = 0; k < c.length; k++) {
                if (c[k] == PathSearch.NONE || cost < search.costTo(c[k]) + g.senderPenaltyMs[c[k]]) {
                    System.arraycopy(c, k, c, k + 1, c.length - k - 1);
                    c[k] = w;
                    break;
                }
            }
        }
    }

    /** Node {@code x}'s route in the tree, with the cheapest backup parent whose path shares no node with it but the origin. */
    Route route(String stream, int x, int origin, Map<String, Route> current) {
        MeshGraph g = graph;
        int hops = treeHops[x];
        int[] path = new int[hops + 1];
        for (int i = hops, v = x; i >= 0; i--, v = treeParent[v]) {
            path[i] = v;
        }
        List<String> ids = new ArrayList<>(path.length);
        double cost = 0;
        for (int i = 0; i < path.length; i++) {
            ids.add(g.ids[path[i]]);
            if (i > 0) {
                cost += search.cost(path[i - 1], path[i]);
            }
        }
        int parent = path[hops - 1];
        int backup = PathSearch.NONE;
        double backupCost = Double.POSITIVE_INFINITY;
        int sites = g.sites();
        for (int site = 0; site < sites; site++) {
            double wire = g.siteCostMs[site * sites + g.site[x]];
            if (Double.isNaN(wire)) {
                continue;
            }
            for (int w : backupCandidates[site]) {
                if (w == PathSearch.NONE) {
                    break;
                }
                double c = search.costTo(w) + g.senderPenaltyMs[w] + wire;
                if (c >= backupCost) {
                    break; // candidates of a site are sorted: the rest cost more
                }
                if (w != parent && w != x && disjoint(current, w, path)) {
                    backup = w;
                    backupCost = c;
                    break;
                }
            }
        }
        if (backup == PathSearch.NONE) {
            return new Route(stream, g.ids[x], List.copyOf(ids), g.ids[parent], null, List.of(), cost);
        }
        List<String> backupPath = searchPath(current, backup);
        backupPath.add(g.ids[x]);
        return new Route(stream, g.ids[x], List.copyOf(ids), g.ids[parent], g.ids[backup], List.copyOf(backupPath), cost);
    }

    /** Whether the search's path to {@code w} avoids every node of {@code path} but its first (the origin). */
    private boolean disjoint(Map<String, Route> current, int w, int[] path) {
        int[] chain = otherChain;
        int n = search.pathTo(w, chain);
        for (int i = 0; i < n; i++) {
            for (int k = 1; k < path.length; k++) {
                if (chain[i] == path[k]) {
                    return false;
                }
            }
        }
        if (chain[0] != path[0]) { // the path starts at a kept route: its relays count too
            Route seed = current.get(graph.ids[chain[0]]);
            for (String id : seed == null ? List.<String>of() : seed.path()) {
                int v = graph.index.getOrDefault(id, -1);
                for (int k = 1; k < path.length; k++) {
                    if (v == path[k]) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** The search's path to {@code w} as node ids, starting at the origin. */
    private List<String> searchPath(Map<String, Route> current, int w) {
        int n = search.pathTo(w, chain);
        List<String> out = new ArrayList<>(settings.hopLimit() + 1);
        String seed = graph.ids[chain[0]];
        Route seedRoute = current.get(seed);
        if (seedRoute != null) {
            out.addAll(seedRoute.path().subList(0, seedRoute.path().size() - 1));
        }
        for (int i = 0; i < n; i++) {
            out.add(graph.ids[chain[i]]);
        }
        return out;
    }
}
