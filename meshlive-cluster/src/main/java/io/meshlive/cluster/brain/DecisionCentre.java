package io.meshlive.cluster.brain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 * use are sticky: a challenger must beat the current parent link by {@link BrainSettings#switchRatio}
 * and {@link BrainSettings#switchMinGainMs} for {@link BrainSettings#switchHoldMillis} before it
 * replaces it; a route whose parent died or whose link vanished is replaced at once. Intermediate
 * nodes that relay without viewers get decisions too, so every node on a path knows its parent.
 *
 * <p>Not thread-safe: one brain thread owns it.
 */
public final class DecisionCentre {
    private final BrainSettings settings;
    /** stream → node → its route now. */
    private final Map<String, Map<String, Route>> routes = new HashMap<>();
    /** (stream, node) → when a challenger to its current parent first appeared. */
    private final Map<String, Map<String, Long>> challengedSince = new HashMap<>();
    private int parentChanges;

    public DecisionCentre(BrainSettings settings) {
        this.settings = settings;
    }

    /** A snapshot of live nodes and fresh links to plan over; load bookkeeping within one round lives in it. */
    public Snapshot snapshot(List<NodeState> nodes, List<Link> links) {
        return new Snapshot(new MeshGraph(nodes, links, settings), settings);
    }

    /** The graph and search arrays of one planning round. */
    public static final class Snapshot {
        final MeshGraph graph;
        final PathSearch search;
        final int[] pathBuf;
        final int[] otherBuf;

        Snapshot(MeshGraph graph, BrainSettings settings) {
            this.graph = graph;
            this.search = new PathSearch(graph, settings);
            this.pathBuf = new int[settings.hopLimit() * 2 + 2];
            this.otherBuf = new int[settings.hopLimit() * 2 + 2];
        }

        public boolean hasNode(String id) {
            return graph.index.containsKey(id);
        }
    }

    /** Every stream's routes now: stream → node → route (read-only views). */
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
     * Drops at once every decision for a node that left: its own routes, and the stream it was the
     * origin of. Routes through it stay until the next recomputation (their nodes use their backups
     * meanwhile). Returns the streams whose routes passed through the node, to recompute first.
     */
    public Set<String> nodeGone(String nodeId) {
        Set<String> affected = new HashSet<>();
        for (var it = routes.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Map<String, Route> byNode = e.getValue();
            for (Route r : byNode.values()) {
                if (r.path().get(0).equals(nodeId)) {
                    it.remove();
                    affected.remove(e.getKey());
                    break;
                }
                if (r.passesThrough(nodeId)) {
                    affected.add(e.getKey());
                }
            }
            byNode.remove(nodeId);
            Map<String, Long> held = challengedSince.get(e.getKey());
            if (held != null) {
                held.remove(nodeId);
            }
        }
        return affected;
    }

    /** Recomputes every live stream's routes (hottest first, so they get the best links); returns how many (stream, node) could not be placed. */
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
     * First the cheapest paths as if nothing were routed yet; then every node whose current path is
     * intact and not beaten clearly for long enough keeps it (with every node on it), and the
     * search runs again from those kept paths so the rest hangs off them consistently.
     */
    public int recompute(Snapshot snap, ContentCentre content, LiveStream stream, long nowMillis) {
        MeshGraph g = snap.graph;
        PathSearch search = snap.search;
        Map<String, Route> current = routes.getOrDefault(stream.stream(), Map.of());
        Integer origin = g.index.get(stream.originNodeId());
        if (origin == null) {
            release(g, current, stream.bitsPerSecond());
            routes.remove(stream.stream());
            challengedSince.remove(stream.stream());
            return content.viewers(stream.stream()).size();
        }
        List<Integer> targets = new ArrayList<>();
        int unplaced = 0;
        for (String node : content.viewers(stream.stream()).keySet()) {
            Integer v = g.index.get(node);
            if (v != null) {
                targets.add(v);
            } else {
                unplaced++;
            }
        }
        List<Integer> touchedCarrying = markCarrying(g, search, content.carriers(stream.stream()), current.keySet());
        search.reset();
        search.seed(origin, 0, 0);
        search.run(-1);
        Map<String, Long> since = challengedSince.computeIfAbsent(stream.stream(), k -> new HashMap<>());
        Set<String> kept = new HashSet<>();
        for (int v : needed(snap, stream.stream(), targets)) {
            String id = g.ids[v];
            Route r = current.get(id);
            if (r == null || kept.contains(id) || !routeIntact(g, r) || !prefixesRouted(current, r)) {
                since.remove(id);
                continue;
            }
            double now = realCost(snap, r.path());
            double best = search.costTo(v);
            boolean clearlyBetter = best <= now * settings.switchRatio() && now - best >= settings.switchMinGainMs();
            if (!clearlyBetter) {
                since.remove(id);
            }
            if (fullPath(snap, stream.stream(), v).equals(r.path())) {
                continue;
            }
            if (clearlyBetter && nowMillis - since.computeIfAbsent(id, k -> nowMillis) >= settings.switchHoldMillis()) {
                continue; // the challenger has been clearly better for long enough: it wins
            }
            kept.addAll(r.path().subList(1, r.path().size()));
        }
        if (!kept.isEmpty()) {
            search.reset();
            search.seed(origin, 0, 0);
            for (String id : kept) {
                Route r = current.get(id);
                search.seed(g.index.get(id), realCost(snap, r.path()), r.hops());
            }
            search.run(-1);
        }
        Set<Integer> needed = needed(snap, stream.stream(), targets);
        since.keySet().retainAll(idsOf(g, needed));
        Map<String, Route> next = new LinkedHashMap<>();
        for (int v : needed) {
            next.put(g.ids[v], routeOf(snap, stream.stream(), v, origin));
        }
        for (int v : targets) {
            if (!search.reached(v)) {
                unplaced++;
            }
        }
        for (int v : touchedCarrying) {
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
     * the new path hangs off the existing tree. Returns the route, or null when no path exists.
     */
    public Route place(Snapshot snap, ContentCentre content, LiveStream stream, String nodeId) {
        MeshGraph g = snap.graph;
        PathSearch search = snap.search;
        Integer origin = g.index.get(stream.originNodeId());
        Integer target = g.index.get(nodeId);
        if (origin == null || target == null) {
            return null;
        }
        Map<String, Route> current = routes.computeIfAbsent(stream.stream(), k -> new LinkedHashMap<>());
        Route existing = current.get(nodeId);
        if (existing != null && routeIntact(g, existing)) {
            return existing;
        }
        List<Integer> touched = markCarrying(g, search, content.carriers(stream.stream()), current.keySet());
        search.reset();
        search.seed(origin, 0, 0);
        for (Route r : current.values()) {
            if (!r.node().equals(nodeId) && routeIntact(g, r)) {
                search.seed(g.index.get(r.node()), realCost(snap, r.path()), r.hops());
            }
        }
        search.run(target);
        Route route = search.reached(target) ? routeOf(snap, stream.stream(), target, origin) : null;
        for (int v : touched) {
            search.carrying[v] = false;
        }
        if (route != null) {
            for (int i = 1; i < route.path().size(); i++) {
                String hop = route.path().get(i);
                if (!current.containsKey(hop) || hop.equals(nodeId)) {
                    current.put(hop, i == route.path().size() - 1 ? route
                            : prefixRoute(snap, stream.stream(), route.path().subList(0, i + 1)));
                    g.addEgress(g.index.get(route.path().get(i - 1)), stream.bitsPerSecond());
                }
            }
        }
        return route;
    }

    // ---- helpers -------------------------------------------------------------------------

    /** The reached targets and every node on their paths (origin excluded). */
    private Set<Integer> needed(Snapshot snap, String stream, List<Integer> targets) {
        Set<Integer> needed = new LinkedHashSet<>();
        for (int v : targets) {
            if (snap.search.reached(v) && !needed.contains(v)) {
                List<String> path = fullPath(snap, stream, v);
                for (int i = 1; i < path.size(); i++) {
                    needed.add(snap.graph.index.get(path.get(i)));
                }
            }
        }
        return needed;
    }

    private static Set<String> idsOf(MeshGraph g, Set<Integer> nodes) {
        Set<String> ids = new HashSet<>();
        for (int v : nodes) {
            ids.add(g.ids[v]);
        }
        return ids;
    }

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

    /** The link from the route's parent to its node, or -1 when either is gone or the link is out of the map. */
    private static int currentEdge(MeshGraph g, Route r) {
        if (r.primaryParent() == null) {
            return -1;
        }
        Integer u = g.index.get(r.primaryParent());
        Integer v = g.index.get(r.node());
        return u == null || v == null ? -1 : g.edge(u, v);
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

    private static boolean routeIntact(MeshGraph g, Route r) {
        for (int i = 1; i < r.path().size(); i++) {
            Integer u = g.index.get(r.path().get(i - 1));
            Integer v = g.index.get(r.path().get(i));
            if (u == null || v == null || g.edge(u, v) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The route of node {@code v} as the last search found it, with the cheapest disjoint backup. */
    private Route routeOf(Snapshot snap, String stream, int v, int origin) {
        List<String> path = fullPath(snap, stream, v);
        MeshGraph g = snap.graph;
        PathSearch search = snap.search;
        double cost = search.isSeeded(v) ? search.costTo(v) : realCost(snap, path);
        String parent = path.size() > 1 ? path.get(path.size() - 2) : null;
        int bestBackup = -1;
        double bestCost = Double.POSITIVE_INFINITY;
        if (parent != null) {
            Set<String> interior = new HashSet<>(path.subList(1, path.size()));
            for (int k = g.inStart[v]; k < g.inStart[v + 1]; k++) {
                int w = g.inFrom[k];
                if (!search.reached(w) || g.ids[w].equals(parent) || (g.full[w] && w != origin)
                        || search.costTo(w) + search.cost(w, g.inEdge[k]) >= bestCost) {
                    continue;
                }
                List<String> wPath = fullPath(snap, stream, w);
                if (wPath.size() > settings.hopLimit() || !disjoint(wPath, interior)) {
                    continue;
                }
                bestBackup = k;
                bestCost = search.costTo(w) + search.cost(w, g.inEdge[k]);
            }
        }
        if (bestBackup < 0) {
            return new Route(stream, g.ids[v], path, parent, null, List.of(), cost);
        }
        List<String> backupPath = new ArrayList<>(fullPath(snap, stream, g.inFrom[bestBackup]));
        backupPath.add(g.ids[v]);
        return new Route(stream, g.ids[v], path, parent, g.ids[g.inFrom[bestBackup]], List.copyOf(backupPath), cost);
    }

    private static boolean disjoint(List<String> path, Set<String> interior) {
        for (String id : path) {
            if (interior.contains(id)) {
                return false;
            }
        }
        return true;
    }

    /** The node's path from the origin: the seed's own current path, then what the search added. */
    private List<String> fullPath(Snapshot snap, String stream, int v) {
        int n = snap.search.pathTo(v, snap.otherBuf);
        List<String> path = new ArrayList<>(n + settings.hopLimit());
        String seed = snap.graph.ids[snap.otherBuf[0]];
        Route seedRoute = routes.getOrDefault(stream, Map.of()).get(seed);
        if (seedRoute != null && snap.search.isSeeded(snap.otherBuf[0])) {
            path.addAll(seedRoute.path().subList(0, seedRoute.path().size() - 1));
        }
        for (int i = 0; i < n; i++) {
            path.add(snap.graph.ids[snap.otherBuf[i]]);
        }
        return path;
    }

    /** What a path costs with the usual link costs (no stickiness), for reports and later comparisons. */
    private static double realCost(Snapshot snap, List<String> path) {
        double c = 0;
        for (int i = 1; i < path.size(); i++) {
            int u = snap.graph.index.get(path.get(i - 1));
            int e = snap.graph.edge(u, snap.graph.index.get(path.get(i)));
            c += snap.search.cost(u, e);
        }
        return c;
    }

    private Route prefixRoute(Snapshot snap, String stream, List<String> path) {
        String parent = path.get(path.size() - 2);
        return new Route(stream, path.get(path.size() - 1), List.copyOf(path), parent, null, List.of(),
                realCost(snap, path));
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
            if (!after.containsKey(old.node()) && old.primaryParent() != null) {
                Integer o = g.index.get(old.primaryParent());
                if (o != null) {
                    g.addEgress(o, -bits);
                }
            }
        }
    }

    private static void release(MeshGraph g, Map<String, Route> routes, long bits) {
        for (Route r : routes.values()) {
            Integer o = r.primaryParent() == null ? null : g.index.get(r.primaryParent());
            if (o != null) {
                g.addEgress(o, -bits);
            }
        }
    }
}
