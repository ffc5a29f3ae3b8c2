package io.meshlive.bench.sim;

import io.meshlive.cluster.brain.AccessScheduler;
import io.meshlive.cluster.brain.BrainSettings;
import io.meshlive.cluster.brain.NodeState;
import io.meshlive.cluster.store.NodeLoad;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The viewers: which stream each watches, from which city, on which node. Each is placed by the
 * real {@link AccessScheduler} among the live nodes of its city (the nearest city with a live node
 * when its own has none), weighing their load and whether they carry the stream already. Keeps
 * each node's viewer egress and each (stream, node)'s viewer count as viewers come and go.
 */
final class Audience {
    private static final double NOT_CARRYING_MS = 10;

    private final Topology topo;
    private final Workload work;
    private final AccessScheduler scheduler;
    private int[] stream = new int[1024];
    private int[] city = new int[1024];
    private int[] node = new int[1024];
    private int size;
    /** (stream, node) → viewers. */
    final Map<Long, Integer> counts = new HashMap<>();
    final long[] viewerEgress;
    final boolean[] alive;

    Audience(Topology topo, Workload work) {
        this.topo = topo;
        this.work = work;
        this.scheduler = new AccessScheduler(BrainSettings.defaults(), (a, b) -> 0, NOT_CARRYING_MS);
        viewerEgress = new long[topo.nodes()];
        alive = new boolean[topo.nodes()];
        Arrays.fill(alive, true);
    }

    int size() {
        return size;
    }

    int stream(int v) {
        return stream[v];
    }

    int city(int v) {
        return city[v];
    }

    int node(int v) {
        return node[v];
    }

    long key(int s, int n) {
        return (long) s * topo.nodes() + n;
    }

    int count(int s, int n) {
        return counts.getOrDefault(key(s, n), 0);
    }

    /** A new viewer; returns its node, and whether that node had no viewer of the stream before. */
    int join(Random rnd, long[] relayEgress) {
        int s = work.pickStream(rnd);
        int c = work.pickCity(s, rnd);
        int n = place(s, c, relayEgress);
        if (size == stream.length) {
            stream = Arrays.copyOf(stream, size * 2);
            city = Arrays.copyOf(city, size * 2);
            node = Arrays.copyOf(node, size * 2);
        }
        stream[size] = s;
        city[size] = c;
        node[size] = n;
        size++;
        add(s, n, 1);
        return size - 1;
    }

    /** Viewer {@code v} leaves (the last viewer takes its slot); returns its (stream, node) key. */
    long leave(int v) {
        long k = key(stream[v], node[v]);
        add(stream[v], node[v], -1);
        size--;
        stream[v] = stream[size];
        city[v] = city[size];
        node[v] = node[size];
        return k;
    }

    /** Viewers on a dead node play again from a node the scheduler picks; returns how many moved. */
    int evacuate(int dead, long[] relayEgress) {
        alive[dead] = false;
        int moved = 0;
        for (int v = 0; v < size; v++) {
            if (node[v] == dead) {
                add(stream[v], dead, -1);
                node[v] = place(stream[v], city[v], relayEgress);
                add(stream[v], node[v], 1);
                moved++;
            }
        }
        return moved;
    }

    private void add(int s, int n, int delta) {
        long k = key(s, n);
        int c = counts.getOrDefault(k, 0) + delta;
        if (c <= 0) {
            counts.remove(k);
        } else {
            counts.put(k, c);
        }
        viewerEgress[n] += delta * work.bits[s];
    }

    private int place(int s, int c, long[] relayEgress) {
        int[] candidates = liveNodesNear(c);
        List<NodeState> states = new ArrayList<>(candidates.length);
        Set<String> carriers = new HashSet<>();
        for (int n : candidates) {
            states.add(new NodeState(topo.nodeId[n], topo.region(n), Set.of("edge"),
                    new NodeLoad(0, viewerEgress[n] + relayEgress[n], topo.capacityBits[n], 0, 0)));
            if (count(s, n) > 0 || work.origin[s] == n) {
                carriers.add(topo.nodeId[n]);
            }
        }
        String id = scheduler.pick(topo.cities.get(c).region(), states, carriers, 1).get(0).id();
        for (int n : candidates) {
            if (topo.nodeId[n].equals(id)) {
                return n;
            }
        }
        throw new IllegalStateException("the scheduler picked " + id + ", not a candidate");
    }

    private int[] liveNodesNear(int c) {
        int[] own = Arrays.stream(topo.cityNodes[c]).filter(n -> alive[n]).toArray();
        if (own.length > 0) {
            return own;
        }
        int best = -1;
        for (int other = 0; other < topo.cities.size(); other++) {
            boolean any = Arrays.stream(topo.cityNodes[other]).anyMatch(n -> alive[n]);
            if (any && (best < 0 || topo.cityKm[c][other] < topo.cityKm[c][best])) {
                best = other;
            }
        }
        return Arrays.stream(topo.cityNodes[best]).filter(n -> alive[n]).toArray();
    }
}
