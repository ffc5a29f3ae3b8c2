package io.meshlive.bench;

import io.meshlive.bench.forbid.ForbidPropagation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code bench forbid}: forbid propagation across a cluster's nodes. */
@Command(name = "forbid", mixinStandardHelpOptions = true,
        description = {"Posts forbids on the nodes of a meshlive cluster in turn and measures how long each takes to be listed"
                + " by every node (GET /api/v1/forbidden, polled), then lifts it and measures the same.",
                "Prints each trial and p50/p99/max of the last node's time. Exit status: 0 unless a forbid was refused."})
final class ForbidCommand implements Callable<Integer> {
    @Option(names = "--api", required = true, paramLabel = "URL",
            description = "a node's HTTP base URL, e.g. http://127.0.0.1:8080; repeat for every node")
    List<URI> apis;

    @Option(names = "--count", defaultValue = "50", paramLabel = "N", description = "forbids to post, 1-1000 (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--app", defaultValue = "live", paramLabel = "APP", description = "app of the forbidden test streams (default ${DEFAULT-VALUE})")
    String app;

    @Option(names = "--token", defaultValue = "", paramLabel = "TOKEN", description = "the nodes' api.token, if set")
    String token;

    @Override
    public Integer call() throws Exception {
        if (count < 1 || count > 1000) {
            throw new IllegalArgumentException("--count " + count + ": allowed 1-1000");
        }
        return new ForbidPropagation(apis, app, token).run(count, System.out) == 0 ? 0 : 1;
    }
}
