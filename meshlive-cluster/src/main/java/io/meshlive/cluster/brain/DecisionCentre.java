package io.meshlive.cluster.brain;

import java.util.ArrayList;
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
 * of it and {@link BrainSettings#switchMinGainMs} less, for {@link BrainSettings#switchHoldMillis}
 * (a fifth of that for a far better one, see {@link #holdMillis}); a route whose node, relay or
 * link is gone is replaced at once. Relays without viewers get
 * decisions too, and the decisions of a stream always form one tree (each node one parent).
 *
 * <p>Which routes stay and which nodes get placed is decided here; the tree those decisions grow,
 * and each route's backup parent, live in {@link StreamTree}.
 *
 * <p>Not thread-safe: one brain thread owns it.
 */
public final class DecisionCentre {
    /** A new path this many minimum switch gains cheaper than the current one is far better. */
    static final int FAR_BETTER_GAINS = 10;
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

    /** The graph, the search and the stream tree of one planning round. */
    public static final class Snapshot {
        final MeshGraph graph;
        final PathSearch search;
        final StreamTree tree;
        /** Scratch for comparing the search's path with a route's. */
        final int[] chain;

        Snapshot(MeshGraph graph, BrainSettings settings) {
            this.graph = graph;
            this.search = new PathSearch(graph, settings);
            this.tree = new StreamTree(graph, search, settings);
            this.chain = new int[settings.hopLimit() + 1];
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
            } else if (nowMillis - since.computeIfAbsent(id, k -> nowMillis) >= holdMillis(now - best)) {
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
        StreamTree tree = snap.tree;
        tree.commit(origin, 0, -1);
        for (int t : targets) {
            if (!search.reached(t) || !tree.place(current, origin, t)) {
                unplaced++;
            }
        }
        tree.prepareBackups();
        Map<String, Route> next = new LinkedHashMap<>();
        for (int x : tree.committed) {
            if (x != origin) {
                next.put(g.ids[x], tree.route(stream.stream(), x, origin, current));
            }
        }
        tree.clear();
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
        StreamTree tree = snap.tree;
        tree.commit(origin, 0, -1);
        for (Route r : current.values()) { // the stream's routes form a tree: an intact route's relays are intact too
            if (!r.node().equals(nodeId) && routeIntact(g, r)) {
                int v = g.index.get(r.node());
                search.seed(v, r.costMs(), r.hops()); // its cost when chosen: close enough to hang one node off
                tree.commit(v, r.hops(), g.index.get(r.primaryParent()));
            }
        }
        search.run();
        Route placed = null;
        if (search.reached(target)) {
            int before = tree.committed.size();
            tree.addSearchPath(target);
            tree.prepareBackups();
            for (int k = before; k < tree.committed.size(); k++) {
                int x = tree.committed.get(k);
                Route r = tree.route(stream.stream(), x, origin, current); // sees the routes placed so far
                current.put(r.node(), r);
                g.addEgress(tree.parent(x), stream.bitsPerSecond());
                placed = r;
            }
        }
        tree.clear();
        for (int v : carrying) {
            search.carrying[v] = false;
        }
        return placed;
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

    /**
     * How long a clearly better path must stay so before it replaces the current one: the
     * configured hold, or a fifth of it when the gain is {@value #FAR_BETTER_GAINS} times the
     * minimum switch gain (50 ms by default). A route whose link degraded that badly (a congested
     * or lossy link) moves within seconds; small gains still wait out the hold, so routes don't flap.
     */
    private long holdMillis(double gainMs) {
        return gainMs >= FAR_BETTER_GAINS * settings.switchMinGainMs() ? settings.switchHoldMillis() / 5 : settings.switchHoldMillis();
    }
}
