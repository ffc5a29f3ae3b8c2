package io.meshlive.cluster.brain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The decision centre: for every (stream, node with viewers of it) the upstream path from the
 * stream's origin, a primary parent and a disjoint backup parent. Pure code over a snapshot of
 * the cluster (no network, no clock of its own), so the simulator runs exactly this.
 *
 * <p>A path's cost is its links' one-way delay, jitter and loss penalty, a per-hop cost, and each
 * sender's load penalty; links into nodes that already carry the stream are discounted, so a new
 * viewer node hangs off the existing tree rather than pulling another copy from afar. Routes in
 * use are sticky: one is replaced only when a new path costs at most {@link BrainSettings#switchRatio}
 * of it and {@link BrainSettings#switchMinGainMs} less, for {@link BrainSettings#switchHoldMillis};
 * a route whose node, relay or link is gone is replaced at once. Relays without viewers get
 * decisions too, and the decisions of a stream always form one tree (each node one parent).
 *
 * <p>Not thread-safe: one brain thread owns it.
 */
public final class DecisionCentre {
    private static final int BACKUP_CANDIDATES_PER_SITE = 3;

    private final BrainSettings settings;
    /** stream → node → its route now. */
    private final Map<String, Map<String, Route>> routes = new HashMap<>();
    /** stream → node → when a clearly better path than its current one first appeared. */
    private final Map<String, Map<String, Long>> challengedSince = new HashMap<>();
    private int parentChanges;

    public DecisionCentre(BrainSettings settings) {
        this.settings = settings;
    }

    /** A snapshot of live nodes and fresh links to plan over; load bookkeeping within one round lives in it. */
    public Snapshot snapshot(List<NodeState> nodes, List<Link> links) {
        return new Snapshot(new MeshGraph(nodes, links, settings), settings);
    }

    /** The graph and the search arrays of one planning round. */
    public static final class Snapshot {
        final MeshGraph graph;
        final PathSearch search;
        final int[] chain;
        final int[] treeParent;
        final int[] treeHops;
        final List<Integer> committed = new ArrayList<>();
        final int[][] backupCandidates;
        final int[] otherChain;

        Snapshot(MeshGraph graph, BrainSettings settings) {
            this.graph = graph;
            this.search = new PathSearch(graph, settings);
            this.chain = new int[settings.hopLimit() + 1];
            this.treeParent = new int[graph.size()];
            this.treeHops = new int[graph.size()];
            Arrays.fill(treeHops, -1);
            this.backupCandidates = new int[graph.sites()][BACKUP_CANDIDATES_PER_SITE];
            this.otherChain = new int[settings.hopLimit() + 1];
        }
    }

    /** Every stream's routes now: stream → node → route. */
    public Map<String, Map<String, Route>> routes() {
        return routes;
    }

    public Route route(String stream, String node) {
        return routes.getOrDefault(stream, Map.of()).get(node);
    }

    /** Primary parent changes of existing routes so far (a new or a dropped route is not a change). */
    public int parentChanges() {
        return parentChanges;
    }

    /**
     * Drops at once every decision for a node that left: its own routes, and those of the streams it
     * was the origin of. Routes through it stay until the next recomputation (their nodes use their
     * backups meanwhile). Returns the streams whose routes passed through it, to recompute first.
     */
    public Set<String> nodeGone(String nodeId) {
        Set<String> affected = new HashSet<>();
        for (var it = routes.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Map<String, Route> byNode = e.getValue();
            boolean origin = false;
            for (Route r : byNode.values()) {
                if (r.path().get(0).equals(nodeId)) {
                    origin = true;
                    break;
                }
                if (r.passesThrough(nodeId)) {
                    affected.add(e.getKey());
                }
            }
            if (origin) {
                it.remove();
                challengedSince.remove(e.getKey());
                affected.remove(e.getKey());
                continue;
            }
            byNode.remove(nodeId);
            Map<String, Long> since = challengedSince.get(e.getKey());
            if (since != null) {
                since.remove(nodeId);
            }
        }
        return affected;
    }

    /** Recomputes every live stream's routes, hottest first (they get the best links); returns how many (stream, node) could not be placed. */
    public int recomputeAll(Snapshot snap, ContentCentre content, long nowMillis) {
        List<LiveStream> order = new ArrayList<>(content.streams());
        Map<String, Integer> total = new HashMap<>();
        for (LiveStream s : order) {
            total.put(s.stream(), content.viewers(s.stream()).values().stream().mapToInt(Integer::intValue).sum());
        }
        order.sort(Comparator.comparingInt((LiveStream s) -> -total.get(s.stream())).thenComparing(LiveStream::stream));
        routes.keySet().removeIf(s -> content.stream(s) == null);
        challengedSince.keySet().removeIf(s -> content.stream(s) == null);
        int unplaced = 0;
        for (LiveStream s : order) {
            unplaced += recompute(snap, content, s, nowMillis);
        }
        return unplaced;
    }

    /**
     * Recomputes one stream's routes; returns how many of its viewer nodes could not be placed.
     * First the cheapest paths as if nothing were routed; then every current route that is intact
     * and not clearly beaten for long enough is kept (with its relays), and the search runs again
     * from the kept routes, so everything else hangs off them.
     */
    public int recompute(Snapshot snap, ContentCentre content, LiveStream stream, long nowMillis) {
        MeshGraph g = snap.graph;
        PathSearch search = snap.search;
        Map<String, Route> current = routes.getOrDefault(stream.stream(), Map.of());
        Integer origin = g.index.get(stream.originNodeId());
        if (origin == null) {
            account(g, current, Map.of(), stream.bitsPerSecond());
            routes.remove(stream.stream());
            challengedSince.remove(stream.stream());
            return content.viewers(stream.stream()).size();
        }
        List<Integer> targets = new ArrayList<>();
        int unplaced = 0;
        for (String node : content.viewers(stream.stream()).keySet()) {
            Integer v = g.index.get(node);
            if (v == null) {
                unplaced++;
            } else if (v.intValue() != origin) {
                targets.add(v);
            }
        }
        List<Integer> carrying = markCarrying(g, search, content.carriers(stream.stream()), current.keySet());
        search.reset(targets);
        search.seed(origin, 0, 0);
        search.run();
        Map<String, Long> since = challengedSince.computeIfAbsent(stream.stream(), k -> new HashMap<>());
        Set<String> kept = new HashSet<>();
        Set<String> targetIds = new HashSet<>();
        boolean searchAgain = false;
        for (int v : targets) {
            String id = g.ids[v];
            targetIds.add(id);
            Route r = current.get(id);
            if (r == null || !routeIntact(g, r) || !prefixesRouted(current, r)) {
                since.remove(id);
                continue;
            }
            double now = realCost(snap, r.path());
            double best = search.reached(v) ? search.costTo(v) : Double.POSITIVE_INFINITY;
            boolean clearlyBetter = best <= now * settings.switchRatio() && now - best >= settings.switchMinGainMs();
            if (!clearlyBetter) {
                since.remove(id);
            } else if (nowMillis - since.computeIfAbsent(id, k -> nowMillis) >= settings.switchHoldMillis()) {
                since.remove(id);
                continue; // clearly better for long enough: the new path wins
            }
            kept.addAll(r.path().subList(1, r.path().size()));
            searchAgain |= !search.reached(v) || !samePath(snap, v, r.path());
        }
        since.keySet().retainAll(targetIds);
        if (searchAgain) { // some kept route is not what the search found: search again from the kept routes
            search.reset(targets);
            search.seed(origin, 0, 0);
            for (String id : kept) {
                Route r = current.get(id);
                search.seed(g.index.get(id), realCost(snap, r.path()), r.hops());
            }
            search.run();
        }
        targets.sort(Comparator.comparingDouble(v -> search.reached(v) ? search.costTo(v) : Double.POSITIVE_INFINITY));
        commit(snap, origin, 0, -1);
        for (int t : targets) {
            if (!search.reached(t) || !placeInTree(snap, current, origin, t)) {
                unplaced++;
            }
        }
        prepareBackups(snap);
        Map<String, Route> next = new LinkedHashMap<>();
        for (int x : snap.committed) {
            if (x != origin) {
                next.put(g.ids[x], route(snap, stream.stream(), x, origin));
            }
        }
        clearTree(snap);
        for (int v : carrying) {
            search.carrying[v] = false;
        }
        account(g, current, next, stream.bitsPerSecond());
        if (next.isEmpty()) {
            routes.remove(stream.stream());
        } else {
            routes.put(stream.stream(), next);
        }
        return unplaced;
    }

    /**
     * Places one node that has just got its first viewer of a stream, leaving every other route as it
     * is: the search starts from every node that carries the stream already, at its current cost, so
     * the new path hangs off the existing tree. Returns the route, or null when there is no path.
     */
    public Route place(Snapshot snap, ContentCentre content, LiveStream stream, String nodeId) {
        MeshGraph g = snap.graph;
        PathSearch search = snap.search;
        Integer origin = g.index.get(stream.originNodeId());
        Integer target = g.index.get(nodeId);
        if (origin == null || target == null || origin.equals(target)) {
            return null;
        }
        Map<String, Route> current = routes.computeIfAbsent(stream.stream(), k -> new LinkedHashMap<>());
        Route existing = current.get(nodeId);
        if (existing != null && routeIntact(g, existing)) {
            return existing;
        }
        List<Integer> carrying = markCarrying(g, search, content.carriers(stream.stream()), current.keySet());
        search.reset(List.of(target));
        search.seed(origin, 0, 0);
        commit(snap, origin, 0, -1);
        for (Route r : current.values()) { // the stream's routes form a tree: an intact route's relays are intact too
            if (!r.node().equals(nodeId) && routeIntact(g, r)) {
                int v = g.index.get(r.node());
                search.seed(v, r.costMs(), r.hops()); // its cost when chosen: close enough to hang one node off
                commit(snap, v, r.hops(), g.index.get(r.primaryParent()));
            }
        }
        search.run();
        Route placed = null;
        if (search.reached(target)) {
            int before = snap.committed.size();
            int n = search.pathTo(target, snap.chain);
            for (int i = 1; i < n; i++) {
                commit(snap, snap.chain[i], snap.treeHops[snap.chain[0]] + i, snap.chain[i - 1]);
            }
            prepareBackups(snap);
            for (int k = before; k < snap.committed.size(); k++) {
                int x = snap.committed.get(k);
                Route r = route(snap, stream.stream(), x, origin);
                current.put(r.node(), r);
                g.addEgress(snap.treeParent[x], stream.bitsPerSecond());
                placed = r;
            }
        }
        clearTree(snap);
        for (int v : carrying) {
            search.carrying[v] = false;
        }
        return placed;
    }

    // ---- the tree of one stream -------------------------------------------------------------

    private static void commit(Snapshot snap, int node, int hops, int parent) {
        snap.treeHops[node] = hops;
        snap.treeParent[node] = parent;
        snap.committed.add(node);
    }

    private static void clearTree(Snapshot snap) {
        for (int x : snap.committed) {
            snap.treeHops[x] = -1;
        }
        snap.committed.clear();
    }

    /**
     * Adds target {@code t} to the stream's tree along its cheapest path. A path that starts at a kept
     * route brings that route's relays in; a path that would give a node already in the tree a second
     * parent (possible when the hop limit binds) is replaced by the cheapest link from a tree node.
     */
    private boolean placeInTree(Snapshot snap, Map<String, Route> current, int origin, int t) {
        if (snap.treeHops[t] >= 0) {
            return true;
        }
        MeshGraph g = snap.graph;
        int n = snap.search.pathTo(t, snap.chain);
        int seed = snap.chain[0];
        if (seed != origin && snap.treeHops[seed] < 0) {
            List<String> path = current.get(g.ids[seed]).path();
            for (int i = 1; i < path.size(); i++) {
                int x = g.index.get(path.get(i));
                if (snap.treeHops[x] < 0) {
                    commit(snap, x, i, g.index.get(path.get(i - 1)));
                }
            }
        }
        int base = snap.treeHops[seed];
        boolean consistent = true;
        for (int i = 1; i < n; i++) {
            int x = snap.chain[i];
            if (snap.treeHops[x] >= 0 && (snap.treeHops[x] != base + i || snap.treeParent[x] != snap.chain[i - 1])) {
                consistent = false;
                break;
            }
        }
        if (consistent) {
            for (int i = 1; i < n; i++) {
                if (snap.treeHops[snap.chain[i]] < 0) {
                    commit(snap, snap.chain[i], base + i, snap.chain[i - 1]);
                }
            }
            return true;
        }
        int best = -1;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int w : snap.committed) {
            if (snap.treeHops[w] < settings.hopLimit() && g.linked(w, t) && (!g.full[w] || w == origin)) {
                double c = treeCost(snap, w) + snap.search.cost(w, t);
                if (c < bestCost) {
                    best = w;
                    bestCost = c;
                }
            }
        }
        if (best < 0) {
            return false;
        }
        commit(snap, t, snap.treeHops[best] + 1, best);
        return true;
    }

    private static double treeCost(Snapshot snap, int node) {
        double c = 0;
        for (int x = node; snap.treeHops[x] > 0; x = snap.treeParent[x]) {
            c += snap.search.cost(snap.treeParent[x], x);
        }
        return c;
    }

    /** For each site, the cheapest few nodes that could feed one more node within the hop limit. */
    private void prepareBackups(Snapshot snap) {
        MeshGraph g = snap.graph;
        PathSearch search = snap.search;
        for (int[] c : snap.backupCandidates) {
            Arrays.fill(c, PathSearch.NONE);
        }
        for (int w = 0; w < g.size(); w++) {
            if (!search.reached(w) || search.hopsTo(w) >= settings.hopLimit() || (g.full[w] && !search.isSeeded(w))) {
                continue;
            }
            int[] c = snap.backupCandidates[g.site[w]];
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
    private Route route(Snapshot snap, String stream, int x, int origin) {
        MeshGraph g = snap.graph;
        PathSearch search = snap.search;
        int hops = snap.treeHops[x];
        int[] path = new int[hops + 1];
        for (int i = hops, v = x; i >= 0; i--, v = snap.treeParent[v]) {
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
            for (int w : snap.backupCandidates[site]) {
                if (w == PathSearch.NONE) {
                    break;
                }
                double c = search.costTo(w) + g.senderPenaltyMs[w] + wire;
                if (c >= backupCost) {
                    break; // candidates of a site are sorted: the rest cost more
                }
                if (w != parent && w != x && disjoint(snap, stream, w, path)) {
                    backup = w;
                    backupCost = c;
                    break;
                }
            }
        }
        if (backup == PathSearch.NONE) {
            return new Route(stream, g.ids[x], List.copyOf(ids), g.ids[parent], null, List.of(), cost);
        }
        List<String> backupPath = searchPath(snap, stream, backup);
        backupPath.add(g.ids[x]);
        return new Route(stream, g.ids[x], List.copyOf(ids), g.ids[parent], g.ids[backup], List.copyOf(backupPath), cost);
    }

    /** Whether the search's path to {@code w} avoids every node of {@code path} but its first (the origin). */
    private boolean disjoint(Snapshot snap, String stream, int w, int[] path) {
        int[] chain = snap.otherChain;
        int n = snap.search.pathTo(w, chain);
        for (int i = 0; i < n; i++) {
            for (int k = 1; k < path.length; k++) {
                if (chain[i] == path[k]) {
                    return false;
                }
            }
        }
        if (chain[0] != path[0]) { // the path starts at a kept route: its relays count too
            Route seed = routes.getOrDefault(stream, Map.of()).get(snap.graph.ids[chain[0]]);
            for (String id : seed == null ? List.<String>of() : seed.path()) {
                int v = snap.graph.index.getOrDefault(id, -1);
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
    private List<String> searchPath(Snapshot snap, String stream, int w) {
        int n = snap.search.pathTo(w, snap.chain);
        List<String> out = new ArrayList<>(settings.hopLimit() + 1);
        String seed = snap.graph.ids[snap.chain[0]];
        Route seedRoute = routes.getOrDefault(stream, Map.of()).get(seed);
        if (seedRoute != null) {
            out.addAll(seedRoute.path().subList(0, seedRoute.path().size() - 1));
        }
        for (int i = 0; i < n; i++) {
            out.add(snap.graph.ids[snap.chain[i]]);
        }
        return out;
    }

    // ---- helpers -----------------------------------------------------------------------

    private static List<Integer> markCarrying(MeshGraph g, PathSearch search, Collection<String> carriers,
                                              Collection<String> routed) {
        List<Integer> touched = new ArrayList<>();
        for (Collection<String> ids : List.of(carriers, routed)) {
            for (String id : ids) {
                Integer v = g.index.get(id);
                if (v != null && !search.carrying[v]) {
                    search.carrying[v] = true;
                    touched.add(v);
                }
            }
        }
        return touched;
    }

    /** Whether every node and link of the route is still in the snapshot. */
    private static boolean routeIntact(MeshGraph g, Route r) {
        for (int i = 1; i < r.path().size(); i++) {
            Integer u = g.index.get(r.path().get(i - 1));
            Integer v = g.index.get(r.path().get(i));
            if (u == null || v == null || !g.linked(u, v)) {
                return false;
            }
        }
        return true;
    }

    /** Whether every relay on the route has the route's prefix as its own (so keeping it keeps a tree). */
    private static boolean prefixesRouted(Map<String, Route> current, Route r) {
        for (int i = 1; i < r.path().size() - 1; i++) {
            Route relay = current.get(r.path().get(i));
            if (relay == null || !relay.path().equals(r.path().subList(0, i + 1))) {
                return false;
            }
        }
        return true;
    }

    /** Whether the search's cheapest path to {@code v} (from the origin) is {@code path}. */
    private static boolean samePath(Snapshot snap, int v, List<String> path) {
        int n = snap.search.pathTo(v, snap.chain);
        if (n != path.size()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (!snap.graph.ids[snap.chain[i]].equals(path.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** What an intact path costs now. */
    private static double realCost(Snapshot snap, List<String> path) {
        double c = 0;
        for (int i = 1; i < path.size(); i++) {
            c += snap.search.cost(snap.graph.index.get(path.get(i - 1)), snap.graph.index.get(path.get(i)));
        }
        return c;
    }

    /** Moves the stream's bit rate in the round's load bookkeeping from old parents to new ones, and counts changes. */
    private void account(MeshGraph g, Map<String, Route> before, Map<String, Route> after, long bits) {
        for (Route r : after.values()) {
            Route old = before.get(r.node());
            String oldParent = old == null ? null : old.primaryParent();
            if (r.primaryParent().equals(oldParent)) {
                continue;
            }
            g.addEgress(g.index.get(r.primaryParent()), bits);
            if (oldParent != null) {
                parentChanges++;
                Integer o = g.index.get(oldParent);
                if (o != null) {
                    g.addEgress(o, -bits);
                }
            }
        }
        for (Route old : before.values()) {
            if (!after.containsKey(old.node())) {
                Integer o = g.index.get(old.primaryParent());
                if (o != null) {
                    g.addEgress(o, -bits);
                }
            }
        }
    }
}
