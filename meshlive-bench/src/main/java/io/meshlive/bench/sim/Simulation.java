package io.meshlive.bench.sim;

import io.meshlive.cluster.brain.Brain;
import io.meshlive.cluster.brain.BrainSettings;
import io.meshlive.cluster.brain.ContentCentre;
import io.meshlive.cluster.brain.DecisionCentre;
import io.meshlive.cluster.brain.LinkReport;
import io.meshlive.cluster.brain.LiveStream;
import io.meshlive.cluster.brain.NodeState;
import io.meshlive.cluster.brain.QualityMap;
import io.meshlive.cluster.brain.Route;
import io.meshlive.cluster.store.NodeLoad;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Runs the real brain (quality map, content centre, decision centre, brain loop, access scheduler)
 * over a simulated fleet with a simulated clock and store, and the static tree on the same fleet
 * and viewers. Phases: probes warm the quality map; viewers arrive; the brain plans; {@code minutes}
 * of simulated time pass with probe noise, links that degrade for a minute, and viewers coming and
 * going; then a share of the nodes dies at once. Everything random comes from one seed; only the
 * wall-clock decision times vary between runs.
 */
public final class Simulation {
    /** What a node needs to notice its parent is gone (no frame, no ping for this long). */
    static final double DETECT_MS = 300;
    /** A node's report to the store, and the store's push of a decision to a node. */
    static final double STORE_HOP_MS = 20;
    private static final long TICK_MILLIS = 1_000;
    private static final long PROBE_EVERY_MILLIS = 5_000;
    private static final long FULL_EVERY_MILLIS = 10_000;
    private static final int VIEWERS_CHURNED_PER_TICK = 20;
    private static final double DEGRADED_PER_MINUTE = 0.02;
    private static final int HOT_STREAMS = 20;

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public record Options(long seed, int nodes, int viewers, int streams, double zipf, double locality,
                          int minutes, double killShare) {
    }

    private final Options o;
    private final Random rnd;
    private final Topology topo;
    private final Workload work;
    private final Audience aud;
    private final StaticTree tree;
    private final Map<String, Integer> index = new HashMap<>();
    private final Set<String> live = new HashSet<>();
    private final boolean[] alive;
    private final long[] relayEgress;
    private final double[] degradeFactor;
    private final double[] degradeLoss;
    private final long[] degradedUntil;
    private final QualityMap map;
    private final DecisionCentre centre;
    private final Brain brain;
    private final ContentCentre content = new ContentCentre();
    private long now = 1_000_000;
    final SimResult result = new SimResult();

    public Simulation(Options o) {
        this.o = o;
        this.rnd = new Random(o.seed());
        this.topo = Topology.generate(Cities.ALL, o.nodes(), o.seed());
        this.work = new Workload(topo, o.streams(), o.zipf(), o.locality(), rnd);
        this.aud = new Audience(topo, work);
        this.tree = new StaticTree(topo);
        alive = new boolean[topo.nodes()];
        Arrays.fill(alive, true);
        relayEgress = new long[topo.nodes()];
        for (int n = 0; n < topo.nodes(); n++) {
            index.put(topo.nodeId[n], n);
            live.add(topo.nodeId[n]);
        }
        degradeFactor = new double[topo.linkFrom.length];
        Arrays.fill(degradeFactor, 1);
        degradeLoss = new double[topo.linkFrom.length];
        degradedUntil = new long[topo.linkFrom.length];
        map = new QualityMap(0.3, 3 * PROBE_EVERY_MILLIS, live::contains);
        centre = new DecisionCentre(BrainSettings.defaults());
        brain = new Brain("sim", centre, map, (id, ttl) -> true, (version, routes) -> result.published = version,
                FULL_EVERY_MILLIS, 5_000);
    }

    public SimResult run() {
        result.nodes = topo.nodes();
        result.links = topo.linkFrom.length;
        result.streams = work.streams();
        for (int i = 0; i < 3; i++) {
            probe();
            now += TICK_MILLIS;
        }
        for (int s = 0; s < work.streams(); s++) {
            content.streamStarted(new LiveStream(streamId(s), topo.nodeId[work.origin[s]], work.bits[s]));
        }
        for (int i = 0; i < o.viewers(); i++) {
            int v = aud.join(rnd, relayEgress);
            content.carry(streamId(aud.stream(v)), topo.nodeId[aud.node(v)], aud.count(aud.stream(v), aud.node(v)));
        }
        tick(); // the first plan: a full recomputation
        int changesBefore = centre.parentChanges();
        long end = now + o.minutes() * 60_000L;
        while (now < end) {
            now += TICK_MILLIS;
            degradeLinks();
            if (now % PROBE_EVERY_MILLIS == 0) {
                probe();
            }
            churnViewers();
            tick();
        }
        result.minutes = o.minutes();
        result.meshParentChanges = centre.parentChanges() - changesBefore;
        result.mesh = PlanFigures.of(topo, work, aud, this::meshPath, alive);
        result.tree = PlanFigures.of(topo, work, aud, (s, n) -> tree.path(s, work.origin[s], n, alive, 0), alive);
        result.direct = PlanFigures.of(topo, work, aud,
                (s, n) -> n == work.origin[s] ? new int[]{n} : new int[]{work.origin[s], n}, alive);
        checkRoutes(result.mesh.unserved);
        failNodes();
        return result;
    }

    // ---- the simulated store and clock ------------------------------------------------------

    private static String streamId(int s) {
        return "live/s" + s;
    }

    private List<NodeState> nodeStates() {
        List<NodeState> out = new ArrayList<>(topo.nodes());
        for (int n = 0; n < topo.nodes(); n++) {
            if (alive[n]) {
                out.add(new NodeState(topo.nodeId[n], topo.cities.get(topo.nodeCity[n]).name(), topo.core[n] ? Set.of("core", "edge") : Set.of("edge"),
                        new NodeLoad(0, aud.viewerEgress[n] + relayEgress[n], topo.capacityBits[n], 0, 0)));
            }
        }
        return out;
    }

    /** One probe round of every link between live nodes: the true values with noise, and degradations. */
    private void probe() {
        for (int k = 0; k < topo.linkFrom.length; k++) {
            int a = topo.linkFrom[k];
            int b = topo.linkTo[k];
            if (!alive[a] || !alive[b]) {
                continue;
            }
            double rtt = topo.linkRtt[k] * degradeFactor[k] + Math.abs(rnd.nextGaussian()) * topo.linkJitter[k];
            double jitter = topo.linkJitter[k] * (0.5 + rnd.nextDouble());
            double loss = Math.min(1, Math.max(0, topo.linkLoss[k] + degradeLoss[k] + rnd.nextGaussian() * 0.001));
            map.report(new LinkReport(topo.nodeId[a], topo.nodeId[b], rtt, jitter, loss, now));
        }
    }

    /**
     * Every minute the links between a few city pairs (a transit problem hits every node pair
     * between two sites) get 60 % slower and 3 % lossy for a minute; the agents say so.
     */
    private void degradeLinks() {
        for (int k = 0; k < degradedUntil.length; k++) {
            if (degradedUntil[k] != 0 && degradedUntil[k] <= now) {
                degradeFactor[k] = 1;
                degradeLoss[k] = 0;
                degradedUntil[k] = 0;
            }
        }
        if (now % 60_000 != 0) {
            return;
        }
        int cities = topo.cities.size();
        int pairs = Math.max(1, (int) (cities * (cities - 1) / 2 * DEGRADED_PER_MINUTE));
        Set<Long> hit = new HashSet<>();
        for (int i = 0; i < pairs; i++) {
            int a = rnd.nextInt(cities);
            int b = rnd.nextInt(cities);
            hit.add((long) Math.min(a, b) * cities + Math.max(a, b));
        }
        for (int k = 0; k < topo.linkFrom.length; k++) {
            int a = topo.nodeCity[topo.linkFrom[k]];
            int b = topo.nodeCity[topo.linkTo[k]];
            if (a != b && hit.contains((long) Math.min(a, b) * cities + Math.max(a, b))) {
                degradeFactor[k] = 1.6;
                degradeLoss[k] = 0.03;
                degradedUntil[k] = now + 60_000;
                brain.linkDegraded(topo.nodeId[topo.linkFrom[k]], topo.nodeId[topo.linkTo[k]]);
            }
        }
    }

    /** Some viewers leave, as many arrive; a node's first viewer of a stream gets a placement at once. */
    private void churnViewers() {
        DecisionCentre.Snapshot snap = null;
        for (int i = 0; i < VIEWERS_CHURNED_PER_TICK && aud.size() > 0; i++) {
            long key = aud.leave(rnd.nextInt(aud.size()));
            int s = (int) (key / topo.nodes());
            int n = (int) (key % topo.nodes());
            int left = aud.count(s, n);
            if (left > 0 || n == work.origin[s]) {
                content.carry(streamId(s), topo.nodeId[n], left);
            } else {
                content.drop(streamId(s), topo.nodeId[n]);
            }
        }
        for (int i = 0; i < VIEWERS_CHURNED_PER_TICK; i++) {
            int v = aud.join(rnd, relayEgress);
            int s = aud.stream(v);
            int n = aud.node(v);
            content.carry(streamId(s), topo.nodeId[n], aud.count(s, n));
            if (aud.count(s, n) == 1 && centre.route(streamId(s), topo.nodeId[n]) == null && n != work.origin[s]) {
                if (snap == null) {
                    snap = centre.snapshot(nodeStates(), map.links(now));
                }
                LiveStream stream = content.stream(streamId(s));
                long t0 = System.nanoTime();
                long c0 = CPU.getCurrentThreadCpuTime();
                centre.place(snap, content, stream, topo.nodeId[n]);
                result.placeCpuMicros.add((CPU.getCurrentThreadCpuTime() - c0) / 1e3, 1);
                result.placeMicros.add((System.nanoTime() - t0) / 1e3, 1);
            }
        }
    }

    /** One brain tick (a full recomputation when one is due), timed; then the relays' load follows the routes. */
    /**
     * One brain tick (a full recomputation when one is due); returns the CPU time it took, which is
     * what a brain on a core of its own would take (the wall clock on a shared machine waits for a CPU).
     */
    private double tick() {
        boolean full = result.published == 0 || (now - result.lastFull) >= FULL_EVERY_MILLIS;
        long t0 = System.nanoTime();
        long c0 = CPU.getCurrentThreadCpuTime();
        boolean published = brain.tick(nodeStates(), content, now);
        double cpuMs = (CPU.getCurrentThreadCpuTime() - c0) / 1e6;
        result.lastTickWallMillis = (System.nanoTime() - t0) / 1e6;
        if (published && full) {
            result.fullCpuMillis.add(cpuMs, 1);
            result.fullMillis.add(result.lastTickWallMillis, 1);
            result.lastFull = now;
        }
        Arrays.fill(relayEgress, 0);
        for (Map.Entry<String, Map<String, Route>> e : centre.routes().entrySet()) {
            long bits = content.stream(e.getKey()) == null ? 0 : content.stream(e.getKey()).bitsPerSecond();
            for (Route r : e.getValue().values()) {
                relayEgress[index.get(r.primaryParent())] += bits;
            }
        }
        return cpuMs;
    }

    private int[] meshPath(int s, int n) {
        if (n == work.origin[s]) {
            return alive[n] ? new int[]{n} : null;
        }
        Route r = centre.route(streamId(s), topo.nodeId[n]);
        return r == null ? null : r.path().stream().mapToInt(index::get).toArray();
    }

    /** Invariants: every viewer is served over live nodes within the hop limit, and backups are disjoint. */
    private void checkRoutes(long unserved) {
        int hopLimit = BrainSettings.defaults().hopLimit();
        for (Map<String, Route> byNode : centre.routes().values()) {
            for (Route r : byNode.values()) {
                for (String id : r.path()) {
                    if (!alive[index.get(id)]) {
                        result.violations.add(r + " passes through dead " + id);
                    }
                }
                if (r.hops() > hopLimit) {
                    result.violations.add(r + " exceeds the hop limit");
                }
                if (r.backupParent() != null) {
                    Set<String> shared = new HashSet<>(r.backupPath().subList(1, r.backupPath().size() - 1));
                    shared.retainAll(r.path().subList(1, r.path().size() - 1));
                    if (!shared.isEmpty() || r.backupParent().equals(r.primaryParent())) {
                        result.violations.add(r + " has a backup sharing " + shared);
                    } else {
                        result.withBackup++;
                    }
                }
                result.routes++;
            }
        }
        if (unserved > 0) {
            result.violations.add(unserved + " viewers have no route");
        }
    }

    // ---- the failure drill ----------------------------------------------------------------

    private void failNodes() {
        Map<String, Map<String, Route>> before = new HashMap<>();
        centre.routes().forEach((s, byNode) -> before.put(s, new HashMap<>(byNode)));
        Map<Long, Integer> viewersBefore = new HashMap<>(aud.counts);
        boolean[] aliveBefore = alive.clone();
        Set<Integer> dead = pickVictims(before);
        result.killed = dead.size();
        long lostWithOrigin = 0;
        for (Map.Entry<Long, Integer> e : viewersBefore.entrySet()) {
            int n = (int) (e.getKey() % topo.nodes());
            int s = (int) (e.getKey() / topo.nodes());
            if (dead.contains(work.origin[s])) {
                lostWithOrigin += e.getValue();
            }
            if (dead.contains(n)) {
                result.viewersOnDeadNodes += e.getValue();
            } else if (dead.contains(work.origin[s])) {
                result.viewersOfDeadOrigins += e.getValue();
            }
        }
        for (int d : dead) {
            alive[d] = false;
            live.remove(topo.nodeId[d]);
            brain.nodeDied(topo.nodeId[d]);
            content.nodeGone(topo.nodeId[d]);
        }
        for (int d : dead) {
            aud.evacuate(d, relayEgress);
        }
        for (Map.Entry<Long, Integer> e : aud.counts.entrySet()) {
            int s = (int) (e.getKey() / topo.nodes());
            int n = (int) (e.getKey() % topo.nodes());
            if (content.stream(streamId(s)) != null && !content.carries(streamId(s), topo.nodeId[n])) {
                content.carry(streamId(s), topo.nodeId[n], e.getValue());
                brain.streamStarted(streamId(s));
            }
        }
        now += (long) DETECT_MS;
        result.failureTickMillis = tick();
        result.failureTickWallMillis = result.lastTickWallMillis;

        for (Map.Entry<Long, Integer> e : viewersBefore.entrySet()) {
            int s = (int) (e.getKey() / topo.nodes());
            int n = (int) (e.getKey() % topo.nodes());
            if (dead.contains(n) || dead.contains(work.origin[s])) {
                continue;
            }
            double mesh = meshRestore(s, n, before, dead);
            if (!Double.isNaN(mesh)) {
                result.meshRestore.add(mesh, e.getValue());
            }
            double treeMs = treeRestore(s, n, aliveBefore, viewersBefore);
            if (!Double.isNaN(treeMs)) {
                result.treeRestore.add(treeMs, e.getValue());
            }
        }
        PlanFigures after = PlanFigures.of(topo, work, aud, this::meshPath, alive);
        result.unservedAfterFailure = after.unserved - lostWithOrigin;
        checkRoutes(result.unservedAfterFailure);
    }

    /** Nodes to kill: half among the relays of the hottest streams (in either plan), the rest at random; never a hot stream's origin. */
    private Set<Integer> pickVictims(Map<String, Map<String, Route>> meshRoutes) {
        int total = (int) Math.round(topo.nodes() * o.killShare());
        List<Integer> byViewers = new ArrayList<>();
        Map<Integer, Integer> perStream = new HashMap<>();
        aud.counts.forEach((k, v) -> perStream.merge((int) (k / topo.nodes()), v, Integer::sum));
        perStream.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue() != 0 ? b.getValue() - a.getValue() : a.getKey() - b.getKey())
                .limit(HOT_STREAMS).forEach(e -> byViewers.add(e.getKey()));
        Set<Integer> hotOrigins = new HashSet<>();
        Set<Integer> hotRelays = new java.util.TreeSet<>();
        for (int s : byViewers) {
            hotOrigins.add(work.origin[s]);
            for (Route r : meshRoutes.getOrDefault(streamId(s), Map.of()).values()) {
                hotRelays.add(index.get(r.primaryParent()));
            }
            for (Map.Entry<Long, Integer> e : aud.counts.entrySet()) {
                if (e.getKey() / topo.nodes() == s) {
                    int[] p = tree.path(s, work.origin[s], (int) (e.getKey() % topo.nodes()), alive, 0);
                    for (int i = 0; p != null && i < p.length - 1; i++) {
                        hotRelays.add(p[i]);
                    }
                }
            }
        }
        hotRelays.removeAll(hotOrigins);
        List<Integer> relays = new ArrayList<>(hotRelays);
        java.util.Collections.shuffle(relays, rnd);
        Set<Integer> dead = new java.util.TreeSet<>(relays.subList(0, Math.min(total / 2, relays.size())));
        result.killedHotRelays = dead.size();
        while (dead.size() < total) {
            int n = rnd.nextInt(topo.nodes());
            if (!hotOrigins.contains(n)) {
                dead.add(n);
            }
        }
        return dead;
    }

    /**
     * When the viewers of stream {@code s} on node {@code n} get frames again (ms after the failure),
     * or NaN when the failure did not touch them. The first live node after the last dead one on
     * the path notices (DETECT_MS) and switches to its backup when that path is whole; otherwise it
     * tells the store, the brain recomputes (its measured time) and pushes the new route. Node
     * {@code n} also notices on its own and may switch to its own backup; whichever is first wins.
     * Each link of the new path from the last node still carrying the stream costs one RTT to set up.
     */
    private double meshRestore(int s, int n, Map<String, Map<String, Route>> before, Set<Integer> dead) {
        Map<String, Route> routes = before.getOrDefault(streamId(s), Map.of());
        Route r = routes.get(topo.nodeId[n]);
        if (r == null) {
            return Double.NaN;
        }
        int lastDead = -1;
        for (int i = 0; i < r.path().size(); i++) {
            if (dead.contains(index.get(r.path().get(i)))) {
                lastDead = i;
            }
        }
        if (lastDead < 0) {
            return Double.NaN;
        }
        Route detector = routes.get(r.path().get(lastDead + 1));
        double viaDetector = switchTime(s, detector, routes, dead);
        double own = detector == r ? Double.POSITIVE_INFINITY : backupTime(s, r, routes, dead);
        return Math.min(viaDetector, own);
    }

    private double switchTime(int s, Route r, Map<String, Route> before, Set<Integer> dead) {
        double backup = backupTime(s, r, before, dead);
        if (backup < Double.POSITIVE_INFINITY) {
            return backup;
        }
        Route now = centre.route(streamId(s), r.node());
        if (now == null) {
            return Double.POSITIVE_INFINITY; // not re-routed at all
        }
        return DETECT_MS + STORE_HOP_MS + result.failureTickMillis + STORE_HOP_MS + setup(s, now.path(), before, dead);
    }

    private double backupTime(int s, Route r, Map<String, Route> before, Set<Integer> dead) {
        if (r.backupParent() == null) {
            return Double.POSITIVE_INFINITY;
        }
        for (String id : r.backupPath()) {
            if (dead.contains(index.get(id))) {
                return Double.POSITIVE_INFINITY;
            }
        }
        return DETECT_MS + setup(s, r.backupPath(), before, dead);
    }

    /** RTTs to set up the links of {@code path} after the last node that still gets the stream. */
    private double setup(int s, List<String> path, Map<String, Route> before, Set<Integer> dead) {
        int from = 0;
        for (int i = path.size() - 2; i > 0; i--) {
            Route r = before.get(path.get(i));
            if (r != null && r.path().stream().noneMatch(id -> dead.contains(index.get(id)))) {
                from = i;
                break;
            }
        }
        double ms = 0;
        for (int i = from; i < path.size() - 1; i++) {
            ms += topo.rtt(index.get(path.get(i)), index.get(path.get(i + 1)));
        }
        return ms;
    }

    /** The tree's edge notices its core is gone and pulls from the region's next live core (which may have to pull first). */
    private double treeRestore(int s, int n, boolean[] aliveBefore, Map<Long, Integer> viewersBefore) {
        int[] p = tree.path(s, work.origin[s], n, aliveBefore, 0);
        if (p == null || p.length < 3 || alive[p[1]]) {
            return Double.NaN;
        }
        int[] next = tree.path(s, work.origin[s], n, alive, 0);
        if (next == null) {
            return Double.POSITIVE_INFINITY;
        }
        if (next.length == 2) {
            return DETECT_MS + topo.rtt(next[0], next[1]);
        }
        boolean coreCarried = viewersBefore.containsKey(aud.key(s, next[1]));
        return DETECT_MS + topo.rtt(next[1], n) + (coreCarried ? 0 : topo.rtt(next[0], next[1]));
    }
}
