package io.meshlive.cluster.brain;

import java.util.Arrays;

/**
 * Cheapest paths from a stream's origin (or from nodes whose routes are kept as they are) over a
 * {@link MeshGraph}, at most {@code hopLimit} links long. A search state is (node, hops so far);
 * a node's first settled state is its cheapest path within the limit, and a later state of the
 * same node is expanded only when it has fewer hops (it may still reach farther nodes). Arrays are
 * reused between searches: one instance per thread, no allocation per search beyond growth.
 */
final class PathSearch {
    private static final int NONE = -1;

    private final MeshGraph g;
    private final int layers;
    final double[] dist;
    final int[] parentState;
    /** Hop count of each node's first (cheapest) settled state; {@code layers} while unsettled. */
    final int[] bestHops;
    /** Fewest hops of any settled state of the node. */
    private final int[] fewestSettledHops;
    private final boolean[] seeded;
    /** Per-search: nodes that carry the stream (their incoming links are discounted). */
    final boolean[] carrying;
    private final double carryDiscountMs;
    private double[] heapKey = new double[1024];
    private int[] heapState = new int[1024];
    private int heapSize;

    PathSearch(MeshGraph g, BrainSettings settings) {
        this.g = g;
        this.layers = settings.hopLimit() + 1;
        int states = g.size() * layers;
        dist = new double[states];
        parentState = new int[states];
        bestHops = new int[g.size()];
        fewestSettledHops = new int[g.size()];
        seeded = new boolean[g.size()];
        carrying = new boolean[g.size()];
        carryDiscountMs = settings.carryDiscountMs();
    }

    int state(int node, int hops) {
        return node * layers + hops;
    }

    int nodeOf(int state) {
        return state / layers;
    }

    int hopsOf(int state) {
        return state % layers;
    }

    /** Forgets the last search (not {@link #carrying}: the caller owns it). */
    void reset() {
        Arrays.fill(dist, Double.POSITIVE_INFINITY);
        Arrays.fill(parentState, NONE);
        Arrays.fill(bestHops, layers);
        Arrays.fill(fewestSettledHops, layers);
        Arrays.fill(seeded, false);
        heapSize = 0;
    }

    /** Starts the search at {@code node}, already reached at this cost and hop count; its incoming links are not searched. */
    void seed(int node, double costMs, int hops) {
        int s = state(node, hops);
        seeded[node] = true;
        if (costMs < dist[s]) {
            dist[s] = costMs;
            push(costMs, s);
        }
    }

    boolean isSeeded(int node) {
        return seeded[node];
    }

    /** The cost of link {@code edge} from {@code u} for this stream. */
    double cost(int u, int edge) {
        double c = g.wireCostMs[edge] + g.senderPenaltyMs[u];
        return carrying[g.outTo[edge]] ? Math.max(0, c - carryDiscountMs) : c;
    }

    /**
     * Runs until every node is settled, or until {@code target} is (when not -1). A full node (no
     * headroom) is reached but passes the stream on only when it was seeded (an origin cannot be avoided).
     */
    void run(int target) {
        while (heapSize > 0) {
            double c = heapKey[0];
            int s = heapState[0];
            pop();
            if (c > dist[s]) {
                continue;
            }
            int v = nodeOf(s);
            int h = hopsOf(s);
            if (fewestSettledHops[v] <= h) {
                continue;
            }
            fewestSettledHops[v] = h;
            if (bestHops[v] == layers) {
                bestHops[v] = h;
                if (v == target) {
                    return;
                }
            }
            if (h + 1 >= layers || (g.full[v] && !seeded[v])) {
                continue;
            }
            for (int e = g.outStart[v]; e < g.outStart[v + 1]; e++) {
                int w = g.outTo[e];
                if (seeded[w] || fewestSettledHops[w] <= h + 1) {
                    continue;
                }
                double nc = c + cost(v, e);
                int ws = state(w, h + 1);
                if (nc < dist[ws]) {
                    dist[ws] = nc;
                    parentState[ws] = s;
                    push(nc, ws);
                }
            }
        }
    }

    boolean reached(int node) {
        return bestHops[node] < layers;
    }

    /** The cheapest cost found to {@code node}. */
    double costTo(int node) {
        return dist[state(node, bestHops[node])];
    }

    /** The node before {@code node} on its cheapest path, or -1 for a seed. */
    int parentOf(int node) {
        int p = parentState[state(node, bestHops[node])];
        return p == NONE ? NONE : nodeOf(p);
    }

    /** Nodes from the first seed to {@code node} on its cheapest path, seed first, into {@code out}; returns the count. */
    int pathTo(int node, int[] out) {
        int n = 0;
        for (int s = state(node, bestHops[node]); s != NONE; s = parentState[s]) {
            out[n++] = nodeOf(s);
        }
        for (int i = 0, j = n - 1; i < j; i++, j--) {
            int t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return n;
    }

    private void push(double key, int st) {
        if (heapSize == heapKey.length) {
            heapKey = Arrays.copyOf(heapKey, heapSize * 2);
            heapState = Arrays.copyOf(heapState, heapSize * 2);
        }
        int i = heapSize++;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (heapKey[p] <= key) {
                break;
            }
            heapKey[i] = heapKey[p];
            heapState[i] = heapState[p];
            i = p;
        }
        heapKey[i] = key;
        heapState[i] = st;
    }

    private void pop() {
        int last = --heapSize;
        if (last == 0) {
            return;
        }
        double key = heapKey[last];
        int st = heapState[last];
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= last) {
                break;
            }
            int r = l + 1;
            int m = r < last && heapKey[r] < heapKey[l] ? r : l;
            if (heapKey[m] >= key) {
                break;
            }
            heapKey[i] = heapKey[m];
            heapState[i] = heapState[m];
            i = m;
        }
        heapKey[i] = key;
        heapState[i] = st;
    }
}
