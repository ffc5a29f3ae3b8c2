package io.meshlive.bench;

import io.meshlive.bench.lab.ClusterLab;
import io.meshlive.bench.lab.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code bench cluster}: a lab cluster of real meshlive processes and Redis on loopback, with emulated links. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Starts redis-server and one ./meshlive process per node of a topology on this machine, each node"
                + " on its own loopback address (127.0.0.N) with its own ports and config (cluster.store, nodeId, region,"
                + " roles, secret, relayPort, advertiseHost, parentRegions), and a link emulator in front of each shaped"
                + " node's relay port (other nodes reach it at 127.0.1.N through the link). Prints every node's URLs;"
                + " stops everything on exit (Ctrl-C or --duration).",
                "Topology lines: 'node <id> <region> <roles,...> [<link>]', 'parent <region> <parent region>', and"
                        + " 'between <region> <region> <link>' to shape relay TCP and probe UDP by the pair of regions instead;"
                        + " without --topology: a east origin (link delay=40ms,jitter=2ms), b west core (delay=2ms),"
                        + " c west edge, parent west east."})
final class ClusterCommand implements Callable<Integer> {
    @Option(names = "--topology", paramLabel = "FILE", description = "topology file (default: the three-node example)")
    Path topology;

    @Option(names = "--dir", paramLabel = "DIR", description = "where node configs, data and logs go (default: a new temp dir)")
    Path dir;

    @Option(names = "--meshlive", defaultValue = "./meshlive", paramLabel = "PATH", description = "the node launcher (default ${DEFAULT-VALUE})")
    Path meshlive;

    @Option(names = "--planner", defaultValue = "tree", paramLabel = "NAME",
            description = "cluster.planner of every node: tree or brain (default ${DEFAULT-VALUE})")
    String planner;

    @Option(names = "--duration", converter = Units.DurationConverter.class, paramLabel = "TIME",
            description = "stop after this long (default: run until interrupted)")
    Duration duration;

    @Option(names = "--report", defaultValue = "10s", converter = Units.DurationConverter.class, paramLabel = "TIME",
            description = "how often to print the links' counters (default ${DEFAULT-VALUE})")
    Duration report;

    @Override
    public Integer call() throws Exception {
        Topology t = topology == null ? Topology.standard() : Topology.parse(Files.readString(topology));
        Path root = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("meshlive-cluster");
        ReportClock clock = new ReportClock(report, duration);
        ClusterLab lab = new ClusterLab(t, root, meshlive, System.out, planner, ClusterLab.DEFAULT_PARENT_TIMEOUT_MS);
        // Ctrl-C closes the lab at once too: while the nodes start, the loop below is not yet listening.
        return Interruptible.run(() -> {
            clock.stop();
            lab.close();
        }, () -> {
            try (lab) {
                lab.start();
                lab.describe();
                System.out.println("cluster up in " + root + "; Ctrl-C stops every node, the links and Redis");
                clock.start();
                while (clock.awaitReport()) {
                    lab.reportLinks();
                }
            }
            return 0;
        });
    }
}
