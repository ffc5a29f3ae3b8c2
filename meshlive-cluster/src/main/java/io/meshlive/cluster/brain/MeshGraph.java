package io.meshlive.cluster.brain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One recomputation's snapshot of the cluster for path search, in flat arrays. Nodes are grouped
 * by site (their {@code region}): the quality map's links between two sites are averaged into one
 * site link that stands for every node pair between them, so agents need only probe a few peers
 * per site, and a node can pull from any node of a site linked to its own. A link costs its one-way
 * delay (RTT/2) plus jitter, loss and hop terms; the sending node's load penalty is kept per node
 * and rises as this recomputation gives it children.
 */
final class MeshGraph {
    final String[] ids;
    final Map<String, Integer> index;
    final int[] site;
    /** Nodes of each site. */
    final int[][] siteNodes;
    /** Cost of the site link a → b (flattened a * sites + b); NaN where no link was measured. */
    final double[] siteCostMs;
    /** For each site, the sites it has a link to. */
    final int[][] siteOut;
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
        site = new int[n];
        egressBits = new long[n];
        capacityBits = new long[n];
        cpu = new double[n];
        Map<String, Integer> siteIndex = new HashMap<>();
        List<List<Integer>> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            NodeState s = nodes.get(i);
            ids[i] = s.id();
            index.put(s.id(), i);
            site[i] = siteIndex.computeIfAbsent(s.region(), k -> {
                members.add(new ArrayList<>());
                return members.size() - 1;
            });
            members.get(site[i]).add(i);
            egressBits[i] = s.load().egressBitsPerSecond();
            capacityBits[i] = s.load().capacityBitsPerSecond();
            cpu[i] = s.load().cpu();
        }
        int sites = members.size();
        siteNodes = new int[sites][];
        for (int i = 0; i < sites; i++) {
            siteNodes[i] = members.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        double[] sum = new double[sites * sites];
        int[] count = new int[sites * sites];
        for (Link l : links) {
            Integer u = index.get(l.from());
            Integer v = index.get(l.to());
            if (u != null && v != null && !u.equals(v)) {
                int k = site[u] * sites + site[v];
                sum[k] += linkCostMs(l, settings);
                count[k]++;
            }
        }
        siteCostMs = new double[sites * sites];
        siteOut = new int[sites][];
        for (int a = 0; a < sites; a++) {
            int[] out = new int[sites];
            int o = 0;
            for (int b = 0; b < sites; b++) {
                int k = a * sites + b;
                siteCostMs[k] = count[k] == 0 ? Double.NaN : sum[k] / count[k] + settings.hopCostMs();
                if (count[k] > 0) {
                    out[o++] = b;
                }
            }
            siteOut[a] = Arrays.copyOf(out, o);
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

    int sites() {
        return siteNodes.length;
    }

    /** The cost of the link u → v before load and discounts, or NaN when their sites are not linked. */
    double wireMs(int u, int v) {
        return u == v ? Double.NaN : siteCostMs[site[u] * siteNodes.length + site[v]];
    }

    boolean linked(int u, int v) {
        return !Double.isNaN(wireMs(u, v));
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

    /** What a measured link costs, hop cost aside: one-way delay (RTT / 2), jitter and loss terms. */
    static double linkCostMs(Link l, BrainSettings settings) {
        return l.rttMillis() / 2 + settings.jitterWeight() * l.jitterMillis() + settings.lossPenaltyMs() * l.loss();
    }
}
