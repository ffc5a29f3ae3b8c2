package io.meshlive.bench.sim;

import io.meshlive.cluster.brain.Brain;
import io.meshlive.cluster.brain.BrainSettings;
import io.meshlive.cluster.brain.ContentCentre;
import io.meshlive.cluster.brain.DecisionCentre;
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
    private final LinkConditions links;
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
        links = new LinkConditions(topo, rnd);
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
            links.probe(alive, map, now);
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
            links.degrade(now, brain);
            if (now % PROBE_EVERY_MILLIS == 0) {
                links.probe(alive, map, now);
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

    static String streamId(int s) {
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

    /**
     * One brain tick (a full recomputation when one is due); returns the CPU time it took, which is
     * what a brain on a core of its own would take (the wall clock on a shared machine waits for a CPU).
     * Then the relays' load follows the routes.
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
        MeshRestore restore = new MeshRestore(topo, index, before, dead, centre, result.failureTickMillis);

        for (Map.Entry<Long, Integer> e : viewersBefore.entrySet()) {
            int s = (int) (e.getKey() / topo.nodes());
            int n = (int) (e.getKey() % topo.nodes());
            if (dead.contains(n) || dead.contains(work.origin[s])) {
                continue;
            }
            double mesh = restore.millis(s, n);
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
