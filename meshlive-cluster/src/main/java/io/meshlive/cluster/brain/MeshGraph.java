package io.meshlive.cluster.brain;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One recomputation's snapshot of the quality map over the live nodes, in flat arrays (compressed
 * rows: each node's outgoing links side by side) so a path search touches no object per link.
 * A link costs its one-way delay (RTT/2) plus jitter, loss and hop terms; the sending node's load
 * penalty is kept per node and rises as this recomputation gives it children.
 */
final class MeshGraph {
    final String[] ids;
    final Map<String, Integer> index;
    final int[] outStart;
    final int[] outTo;
    final double[] wireCostMs;
    final double[] rttMs;
    final int[] inStart;
    final int[] inEdge;
    final int[] inFrom;
    private final long[] egressBits;
    private final long[] capacityBits;
    private final double[] cpu;
    final double[] senderPenaltyMs;
    final boolean[] full;
    private final LoadPenalty penalty;

    MeshGraph(List<NodeState> nodes, List<Link> links, BrainSettings settings) {
        int n = nodes.size();
        ids = new String[n];
        index = new HashMap<>(n * 2);
        egressBits = new long[n];
        capacityBits = new long[n];
        cpu = new double[n];
        for (int i = 0; i < n; i++) {
            NodeState s = nodes.get(i);
            ids[i] = s.id();
            index.put(s.id(), i);
            egressBits[i] = s.load().egressBitsPerSecond();
            capacityBits[i] = s.load().capacityBitsPerSecond();
            cpu[i] = s.load().cpu();
        }
        int[] from = new int[links.size()];
        int[] to = new int[links.size()];
        int e = 0;
        outStart = new int[n + 1];
        for (Link l : links) {
            Integer u = index.get(l.from());
            Integer v = index.get(l.to());
            if (u != null && v != null && !u.equals(v)) {
                from[e] = u;
                to[e] = v;
                outStart[u + 1]++;
                e++;
            }
        }
        for (int i = 0; i < n; i++) {
            outStart[i + 1] += outStart[i];
        }
        outTo = new int[e];
        wireCostMs = new double[e];
        rttMs = new double[e];
        int[] fill = Arrays.copyOf(outStart, n);
        int li = 0;
        for (Link l : links) {
            Integer u = index.get(l.from());
            Integer v = index.get(l.to());
            if (u == null || v == null || u.equals(v)) {
                continue;
            }
            int slot = fill[from[li]]++;
            outTo[slot] = to[li];
            rttMs[slot] = l.rttMillis();
            wireCostMs[slot] = l.rttMillis() / 2 + settings.jitterWeight() * l.jitterMillis()
                    + settings.lossPenaltyMs() * l.loss() + settings.hopCostMs();
            li++;
        }
        inStart = new int[n + 1];
        for (int k = 0; k < e; k++) {
            inStart[outTo[k] + 1]++;
        }
        for (int i = 0; i < n; i++) {
            inStart[i + 1] += inStart[i];
        }
        inEdge = new int[e];
        inFrom = new int[e];
        int[] inFill = Arrays.copyOf(inStart, n);
        for (int u = 0; u < n; u++) {
            for (int k = outStart[u]; k < outStart[u + 1]; k++) {
                int slot = inFill[outTo[k]]++;
                inEdge[slot] = k;
                inFrom[slot] = u;
            }
        }
        penalty = new LoadPenalty(settings);
        senderPenaltyMs = new double[n];
        full = new boolean[n];
        for (int i = 0; i < n; i++) {
            refreshLoad(i);
        }
    }

    int size() {
        return ids.length;
    }

    /** The link u → v, or -1. */
    int edge(int u, int v) {
        for (int k = outStart[u]; k < outStart[u + 1]; k++) {
            if (outTo[k] == v) {
                return k;
            }
        }
        return -1;
    }

    /** Records that node {@code i} sends {@code bits} more (or less) than its last report said. */
    void addEgress(int i, long bits) {
        egressBits[i] += bits;
        refreshLoad(i);
    }

    double utilisation(int i) {
        double egress = capacityBits[i] <= 0 ? 1 : (double) egressBits[i] / capacityBits[i];
        return Math.max(egress, cpu[i]);
    }

    private void refreshLoad(int i) {
        double u = utilisation(i);
        senderPenaltyMs[i] = penalty.penaltyMs(u);
        full[i] = !penalty.hasHeadroom(u);
    }
}
