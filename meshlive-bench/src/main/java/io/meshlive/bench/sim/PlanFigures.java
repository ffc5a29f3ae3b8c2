package io.meshlive.bench.sim;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a set of routes gives viewers and costs the fleet: CDN delay (host's node → viewer's node:
 * each link's one-way delay plus a relay's processing per hop) split by how far the viewer is from
 * the host, hops, inter-node bit rate and copies per stream, and the most loaded node.
 */
final class PlanFigures {
    static final double NEAR_KM = 1_000;
    static final double FAR_KM = 5_000;
    static final double HOP_PROCESSING_MS = 2;

    final Distribution all = new Distribution();
    final Distribution near = new Distribution();
    final Distribution mid = new Distribution();
    final Distribution far = new Distribution();
    final Distribution hops = new Distribution();
    long backhaulBits;
    int copies;
    int streamsWithViewers;
    double maxUtilisation;
    String maxNode;
    long viewers;
    long unserved;

    /** Routes as paths: stream → node → path (origin first), for every node with viewers. */
    interface Paths {
        int[] path(int stream, int node);
    }

    static PlanFigures of(Topology topo, Workload work, Audience aud, Paths paths, boolean[] alive) {
        PlanFigures f = new PlanFigures();
        long[] relayEgress = new long[topo.nodes()];
        Set<Long> links = new HashSet<>();
        Set<Integer> streams = new HashSet<>();
        for (Map.Entry<Long, Integer> e : aud.counts.entrySet()) {
            int s = (int) (e.getKey() / topo.nodes());
            int n = (int) (e.getKey() % topo.nodes());
            int viewers = e.getValue();
            f.viewers += viewers;
            int[] p = alive[n] ? paths.path(s, n) : null;
            if (p == null) {
                f.unserved += viewers;
                continue;
            }
            streams.add(s);
            double ms = 0;
            for (int i = 1; i < p.length; i++) {
                ms += topo.rtt(p[i - 1], p[i]) / 2 + HOP_PROCESSING_MS;
                long link = ((long) s * topo.nodes() + p[i - 1]) * topo.nodes() + p[i];
                if (links.add(link)) {
                    relayEgress[p[i - 1]] += work.bits[s];
                    f.backhaulBits += work.bits[s];
                }
            }
            double km = topo.cityKm[topo.nodeCity[work.origin[s]]][topo.nodeCity[n]];
            f.all.add(ms, viewers);
            (km < NEAR_KM ? f.near : km < FAR_KM ? f.mid : f.far).add(ms, viewers);
            f.hops.add(p.length - 1, viewers);
        }
        f.copies = links.size();
        f.streamsWithViewers = streams.size();
        for (int n = 0; n < topo.nodes(); n++) {
            if (!alive[n]) {
                continue;
            }
            double u = (double) (aud.viewerEgress[n] + relayEgress[n]) / topo.capacityBits[n];
            if (u > f.maxUtilisation) {
                f.maxUtilisation = u;
                f.maxNode = topo.nodeId[n] + (topo.core[n] ? " (core, " : " (") + topo.cities.get(topo.nodeCity[n]).name() + ")";
            }
        }
        return f;
    }
}
