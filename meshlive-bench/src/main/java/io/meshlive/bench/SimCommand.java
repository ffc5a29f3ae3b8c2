package io.meshlive.bench;

import io.meshlive.bench.sim.SimResult;
import io.meshlive.bench.sim.Simulation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code bench sim}: the brain's routes against the static tree on a simulated world-wide fleet. */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = {"Simulates a fleet in 59 real cities (RTT from great-circle distance, jitter, loss), viewers spread by"
                + " population, streams with Zipf popularity, and runs the brain's real decision centre against a"
                + " simulated store and clock, beside the static edge -> regional core -> origin tree on the same fleet"
                + " and viewers. Prints CDN delay, hops, back-haul, load, re-routing after killing nodes, churn and"
                + " decision times side by side. Seeded: the same options print the same table (decision times aside).",
                "Exit status: 0 when every invariant held (every viewer routed, backups disjoint, every affected viewer"
                        + " re-routed); 1 otherwise."})
final class SimCommand implements Callable<Integer> {
    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--nodes", defaultValue = "1000", description = "nodes (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--viewers", defaultValue = "100000", description = "viewers (default ${DEFAULT-VALUE})")
    int viewers;

    @Option(names = "--streams", defaultValue = "1000", description = "streams (default ${DEFAULT-VALUE})")
    int streams;

    @Option(names = "--zipf", defaultValue = "1.0", description = "Zipf exponent of stream popularity (default ${DEFAULT-VALUE})")
    double zipf;

    @Option(names = "--locality", defaultValue = "0.7",
            description = "share of a stream's viewers in its host's region, the rest anywhere (default ${DEFAULT-VALUE})")
    double locality;

    @Option(names = "--minutes", defaultValue = "3", description = "simulated minutes of probes, link trouble and viewer churn (default ${DEFAULT-VALUE})")
    int minutes;

    @Option(names = "--kill", defaultValue = "0.05", description = "share of nodes killed at once at the end (default ${DEFAULT-VALUE})")
    double kill;

    @Override
    public Integer call() {
        if (viewers < 1 || streams < 1 || minutes < 0 || kill < 0 || kill >= 1 || locality < 0 || locality > 1) {
            throw new IllegalArgumentException("--viewers and --streams must be 1 or more, --minutes 0 or more,"
                    + " --kill from 0 to below 1, --locality from 0 to 1");
        }
        long t0 = System.nanoTime();
        SimResult r = new Simulation(new Simulation.Options(seed, nodes, viewers, streams, zipf, locality, minutes, kill)).run();
        r.print(System.out);
        System.out.printf("simulated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return r.violations().isEmpty() && r.meshReroutedViewers() == r.meshAffectedViewers() ? 0 : 1;
    }
}
