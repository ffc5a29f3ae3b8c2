package io.meshlive.cluster.brain;

import java.util.Arrays;
import java.util.List;

/**
 * Cheapest paths from a stream's origin (and from nodes whose routes are kept as they are) over a
 * {@link MeshGraph}, at most {@code hopLimit} links long: Bellman-Ford by hop count, exact for a hop
 * limit. Each round relaxes site to site, not node to node: the best sender of each site (cost so
 * far plus its load penalty) reaches every node of every linked site, so a round costs
 * sites² + nodes, not nodes². Arrays are reused between searches (one instance per planning round).
 */
final class PathSearch {
    static final int NONE = -1;

    private final MeshGraph g;
    private final int layers;
    private final double carryDiscountMs;
    private final double[] dist;
    private final int[] parentState;
    private final int[] bestHops;
    private final double[] bestCost;
    private final boolean[] seeded;
    /** Per-search: nodes that carry the stream (links into them are discounted). */
    final boolean[] carrying;
    private final int[][] level;
    private final int[] levelSize;
    private final double[] top1Cost;
    private final int[] top1;
    private final double[] top2Cost;
    private final int[] top2;
    /** Per site, the nodes that may receive in this search (see {@link #consider}). */
    private final int[][] receivers;
    private final int[] receiverCount;
    private final int[] sendingSites;
    private final boolean[] receiver;
    private final int[] seeds;
    private int seedCount;

    PathSearch(MeshGraph g, BrainSettings settings) {
        this.g = g;
        this.layers = settings.hopLimit() + 1;
        this.carryDiscountMs = settings.carryDiscountMs();
        int n = g.size();
        dist = new double[n * layers];
        parentState = new int[n * layers];
        bestHops = new int[n];
        bestCost = new double[n];
        seeded = new boolean[n];
        carrying = new boolean[n];
        level = new int[layers][n];
        levelSize = new int[layers];
        top1Cost = new double[g.sites()];
        top1 = new int[g.sites()];
        top2Cost = new double[g.sites()];
        top2 = new int[g.sites()];
        receivers = new int[g.sites()][];
        for (int i = 0; i < g.sites(); i++) {
            receivers[i] = new int[g.siteNodes[i].length];
        }
        receiverCount = new int[g.sites()];
        sendingSites = new int[g.sites()];
        receiver = new boolean[n];
        seeds = new int[n];
        Arrays.fill(bestHops, layers);
        Arrays.fill(dist, Double.POSITIVE_INFINITY);
        Arrays.fill(parentState, NONE);
    }

    private int state(int node, int hops) {
        return node * layers + hops;
    }

    /**
     * Forgets the last search (not {@link #carrying}: the caller owns it) and chooses who may receive
     * in the next: the targets, and in each site the two nodes that would relay cheapest (least load
     * penalty, carrying discount counted). Every other node of a site would reach the same sites at
     * a higher cost, so leaving it out changes no cheapest path and saves most of the work.
     */
    void reset(List<Integer> targets) {
        for (int h = 0; h < layers; h++) {
            for (int i = 0; i < levelSize[h]; i++) {
                int v = level[h][i];
                int s = state(v, h);
                dist[s] = Double.POSITIVE_INFINITY;
                parentState[s] = NONE;
                bestHops[v] = layers;
            }
            levelSize[h] = 0;
        }
        for (int i = 0; i < seedCount; i++) {
            seeded[seeds[i]] = false;
        }
        seedCount = 0;
        for (int site = 0; site < receivers.length; site++) {
            for (int i = 0; i < receiverCount[site]; i++) {
                receiver[receivers[site][i]] = false;
            }
            int best = NONE;
            int second = NONE;
            double bestScore = Double.POSITIVE_INFINITY;
            double secondScore = Double.POSITIVE_INFINITY;
            for (int v : g.siteNodes[site]) {
                if (g.full[v]) {
                    continue;
                }
                double score = g.senderPenaltyMs[v] - (carrying[v] ? carryDiscountMs : 0);
                if (score < bestScore) {
                    second = best;
                    secondScore = bestScore;
                    best = v;
                    bestScore = score;
                } else if (score < secondScore) {
                    second = v;
                    secondScore = score;
                }
            }
            receiverCount[site] = 0;
            consider(best);
            consider(second);
        }
        for (int t : targets) {
            consider(t);
        }
    }

    private void consider(int v) {
        if (v != NONE && !receiver[v]) {
            receiver[v] = true;
            int site = g.site[v];
            receivers[site][receiverCount[site]++] = v;
        }
    }

    /** Starts the search at {@code node}, already reached at this cost and hop count; nothing else may become its parent. */
    void seed(int node, double costMs, int hops) {
        if (!seeded[node]) {
            seeded[node] = true;
            seeds[seedCount++] = node;
        }
        reach(node, hops, costMs, NONE);
    }

    boolean isSeeded(int node) {
        return seeded[node];
    }

    /** The cost of the link u → v for this stream: the site link, u's load penalty, less the discount when v carries the stream. */
    double cost(int u, int v) {
        return g.wireMs(u, v) + g.senderPenaltyMs[u] - (carrying[v] ? carryDiscountMs : 0);
    }

    /** Runs every round. A full node (no headroom) is reached but passes the stream on only when seeded. */
    void run() {
        int sites = g.sites();
        for (int h = 0; h + 1 < layers && levelSize[h] > 0; h++) {
            Arrays.fill(top1, NONE);
            Arrays.fill(top2, NONE);
            for (int i = 0; i < levelSize[h]; i++) {
                int u = level[h][i];
                double d = dist[state(u, h)];
                if ((g.full[u] && !seeded[u]) || d > lowest(u, h)) {
                    continue; // cannot send, or this state has more hops and costs more than an earlier one
                }
                offer(g.site[u], u, d + g.senderPenaltyMs[u]);
            }
            int senderSites = 0;
            for (int x = 0; x < sites; x++) {
                if (top1[x] != NONE) {
                    sendingSites[senderSites++] = x;
                }
            }
            for (int y = 0; y < sites; y++) {
                int best = NONE;
                int second = NONE;
                double bestC = Double.POSITIVE_INFINITY;
                double secondC = Double.POSITIVE_INFINITY;
                for (int xi = 0; xi < senderSites; xi++) {
                    int x = sendingSites[xi];
                    double wire = g.siteCostMs[x * sites + y];
                    if (Double.isNaN(wire)) {
                        continue;
                    }
                    for (int k = 0; k < (x == y ? 2 : 1); k++) { // within a site the best sender may be the receiver itself
                        int u = k == 0 ? top1[x] : top2[x];
                        if (u == NONE) {
                            break;
                        }
                        double c = (k == 0 ? top1Cost[x] : top2Cost[x]) + wire;
                        if (c < bestC) {
                            second = best;
                            secondC = bestC;
                            best = u;
                            bestC = c;
                        } else if (c < secondC) {
                            second = u;
                            secondC = c;
                        }
                    }
                }
                if (best == NONE) {
                    continue;
                }
                int[] candidates = receivers[y];
                for (int i = 0, n = receiverCount[y]; i < n; i++) {
                    int v = candidates[i];
                    if (seeded[v]) {
                        continue;
                    }
                    int u = best != v ? best : second;
                    if (u == NONE) {
                        continue;
                    }
                    double c = (u == best ? bestC : secondC) - (carrying[v] ? carryDiscountMs : 0);
                    reach(v, h + 1, c, state(u, h));
                }
            }
        }
        for (int h = 0; h < layers; h++) {
            for (int i = 0; i < levelSize[h]; i++) {
                int v = level[h][i];
                double d = dist[state(v, h)];
                if (bestHops[v] == layers || d < bestCost[v]) { // levels in order: a tie keeps fewer hops
                    bestHops[v] = h;
                    bestCost[v] = d;
                }
            }
        }
    }

    private double lowest(int u, int belowHops) {
        double low = Double.POSITIVE_INFINITY;
        for (int h = 0; h < belowHops; h++) {
            low = Math.min(low, dist[state(u, h)]);
        }
        return low;
    }

    private void offer(int site, int u, double c) {
        if (top1[site] == NONE || c < top1Cost[site]) {
            top2[site] = top1[site];
            top2Cost[site] = top1Cost[site];
            top1[site] = u;
            top1Cost[site] = c;
        } else if (top2[site] == NONE || c < top2Cost[site]) {
            top2[site] = u;
            top2Cost[site] = c;
        }
    }

    private void reach(int v, int h, double c, int parent) {
        int s = state(v, h);
        if (c < dist[s]) {
            if (dist[s] == Double.POSITIVE_INFINITY) {
                level[h][levelSize[h]++] = v;
            }
            dist[s] = c;
            parentState[s] = parent;
        }
    }

    boolean reached(int node) {
        return bestHops[node] < layers;
    }

    int hopsTo(int node) {
        return bestHops[node];
    }

    /** The cheapest cost found to {@code node}. */
    double costTo(int node) {
        return bestCost[node];
    }

    /** The node before {@code node} on its cheapest path, or -1 for a seed. */
    int parentOf(int node) {
        int p = parentState[state(node, bestHops[node])];
        return p == NONE ? NONE : p / layers;
    }

    /** Nodes from the seed to {@code node} on its cheapest path, seed first, into {@code out}; returns the count. */
    int pathTo(int node, int[] out) {
        int n = 0;
        for (int s = state(node, bestHops[node]); s != NONE; s = parentState[s]) {
            out[n++] = s / layers;
        }
        for (int i = 0, j = n - 1; i < j; i++, j--) {
            int t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return n;
    }
}
