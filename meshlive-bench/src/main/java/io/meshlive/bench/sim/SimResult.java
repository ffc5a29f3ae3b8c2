package io.meshlive.bench.sim;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The simulator's figures, and the table that sets the brain's mesh beside the static tree. */
public final class SimResult {
    int nodes;
    int links;
    int streams;
    int minutes;
    long published;
    long lastFull;
    PlanFigures mesh;
    PlanFigures tree;
    /** Every viewer's node pulling straight from the origin: the delay no route can beat by much (a bound, not a plan). */
    PlanFigures direct;
    int meshParentChanges;
    final Distribution placeMicros = new Distribution();
    final Distribution fullMillis = new Distribution();
    final Distribution placeCpuMicros = new Distribution();
    final Distribution fullCpuMillis = new Distribution();
    double failureTickMillis;
    double failureTickWallMillis;
    double lastTickWallMillis;
    int killed;
    int killedHotRelays;
    long viewersOnDeadNodes;
    long viewersOfDeadOrigins;
    long unservedAfterFailure;
    final Distribution meshRestore = new Distribution();
    final Distribution treeRestore = new Distribution();
    int routes;
    int withBackup;
    final List<String> violations = new ArrayList<>();

    /** Broken invariants (a viewer without a route, a path through a dead node, a shared backup): empty when all hold. */
    public List<String> violations() {
        return violations;
    }

    public long unservedAfterFailure() {
        return unservedAfterFailure;
    }

    public long meshViewers() {
        return mesh.viewers;
    }

    public long meshReroutedViewers() {
        return meshRestore.count() - meshRestore.countAbove(1e12);
    }

    public long meshAffectedViewers() {
        return meshRestore.count();
    }

    public void print(PrintStream out) {
        out.printf("fleet: %d nodes in %d cities, %d probed links; %d streams; %d viewers; %d simulated minutes%n",
                nodes, Cities.ALL.size(), links, streams, mesh.viewers, minutes);
        out.printf("%-44s %14s %14s %10s %14s%n", "", "brain (mesh)", "static tree", "mesh/tree", "direct (bound)");
        delay(out, "CDN delay, all viewers", mesh.all, tree.all, direct.all);
        delay(out, "  near (< 1000 km from host)", mesh.near, tree.near, direct.near);
        delay(out, "  mid (1000-5000 km)", mesh.mid, tree.mid, direct.mid);
        delay(out, "  far (> 5000 km)", mesh.far, tree.far, direct.far);
        row(out, "hops per viewer, mean", mesh.hops.mean(), tree.hops.mean(), "%14.2f");
        row(out, "back-haul, inter-node Gbit/s", mesh.backhaulBits / 1e9, tree.backhaulBits / 1e9, "%14.2f");
        row(out, "copies per stream (relay links)", (double) mesh.copies / mesh.streamsWithViewers,
                (double) tree.copies / tree.streamsWithViewers, "%14.2f");
        row(out, "most loaded node, utilisation", mesh.maxUtilisation, tree.maxUtilisation, "%14.2f");
        out.printf("%-44s %14s %14s%n", "  that node", mesh.maxNode, tree.maxNode);
        out.printf("%-44s %14.1f %14s%n", "route churn, parent changes per minute", (double) meshParentChanges / Math.max(1, minutes), "0 (static)");
        out.printf("failure: %d nodes killed at once (%d of them relays of the %s hottest streams);"
                        + " %d viewers were on them and reconnect; %d watched streams whose origin died%n",
                killed, killedHotRelays, 20, viewersOnDeadNodes, viewersOfDeadOrigins);
        restore(out, "  viewers whose upstream died", meshRestore.count(), treeRestore.count(), "%14d");
        restore(out, "  time until re-routed, p50 ms", meshRestore.percentile(0.5), treeRestore.percentile(0.5), "%14.0f");
        restore(out, "  time until re-routed, p99 ms", meshRestore.percentile(0.99), treeRestore.percentile(0.99), "%14.0f");
        restore(out, "  time until every one re-routed, ms", meshRestore.percentile(1), treeRestore.percentile(1), "%14.0f");
        restore(out, "  viewers with a gap > 500 ms", meshRestore.countAbove(500), treeRestore.countAbove(500), "%14d");
        out.printf("%-44s %14d%n", "  viewers left without a route (mesh)", unservedAfterFailure);
        out.printf("decision time, one thread, wall clock (CPU time of the thread in brackets):%n");
        out.printf("  placement of a node's first viewer: p50 %.0f us (%.0f), p99 %.0f us (%.0f), %d placements%n",
                placeMicros.percentile(0.5), placeCpuMicros.percentile(0.5), placeMicros.percentile(0.99),
                placeCpuMicros.percentile(0.99), placeMicros.count());
        out.printf("  full recomputation (snapshot + every stream): p50 %.0f ms (%.0f), max %.0f ms (%.0f), %d runs%n",
                fullMillis.percentile(0.5), fullCpuMillis.percentile(0.5), fullMillis.percentile(1),
                fullCpuMillis.percentile(1), fullMillis.count());
        out.printf("  recomputation of the streams the failure touched: %.0f ms (%.0f); the re-route times above count the CPU time%n",
                failureTickWallMillis, failureTickMillis);
        out.printf("routes: %d (stream, node) decisions, %d with a disjoint backup; invariant violations: %d%n",
                routes, withBackup, violations.size());
        for (String v : violations.subList(0, Math.min(5, violations.size()))) {
            out.println("  " + v);
        }
    }

    private static void delay(PrintStream out, String label, Distribution m, Distribution t, Distribution d) {
        out.printf("%-44s%n", label + " (" + m.count() + " viewers)");
        for (double q : new double[]{-1, 0.5, 0.95, 0.99}) {
            double a = q < 0 ? m.mean() : m.percentile(q);
            double b = q < 0 ? t.mean() : t.percentile(q);
            double c = q < 0 ? d.mean() : d.percentile(q);
            String name = q < 0 ? "mean" : "p" + Math.round(q * 100);
            out.printf("%-44s %11.1f ms %11.1f ms %10s %11.1f ms%n", "    " + name, a, b,
                    b == 0 ? "-" : String.format("%.2f", a / b), c);
        }
    }

    private static void row(PrintStream out, String label, double m, double t, String fmt) {
        out.printf("%-44s " + fmt + " " + fmt + " %10.2f%n", label, m, t, m / t);
    }

    private static void restore(PrintStream out, String label, double m, double t, String fmt) {
        if (fmt.endsWith("d")) {
            out.printf("%-44s " + fmt + " " + fmt + "%n", label, (long) m, (long) t);
        } else {
            out.printf("%-44s " + fmt + " " + fmt + "%n", label, m, t);
        }
    }
}
