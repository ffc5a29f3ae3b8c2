package io.meshlive.bench;

import io.meshlive.bench.lab.ClusterLab;
import io.meshlive.bench.lab.NodePlan;
import io.meshlive.bench.lab.NodeWatch;
import io.meshlive.bench.lab.Topology;
import io.meshlive.bench.play.PlayLoad;
import io.meshlive.bench.play.PlayOptions;
import io.meshlive.bench.play.PlayerResult;
import io.meshlive.testkit.ExternalProcess;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.lab.LinkSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * {@code bench brain-lab}: the media brain's proof on a real cluster. The same three-region lab
 * runs twice, with the static tree and then with the brain; each time the host publishes on the
 * origin and viewers play on every viewer node in every protocol, and each viewer node's delay
 * behind the host's ingest is read from its API. Under the brain a link on the far viewers' route is
 * then degraded (more delay, then loss) and a relay node is killed with -9, and it prints how long
 * the route took to move and how many viewers stayed. Bounded in time; asserts nothing.
 */
@Command(name = "brain-lab", mixinStandardHelpOptions = true,
        description = {"Runs a lab cluster (redis-server, one ./meshlive per node, links emulated per pair of regions for"
                + " relay TCP and probe UDP alike) twice on the same topology: cluster.planner tree, then brain. The host"
                + " (ffmpeg) publishes on the origin; HTTP-FLV, RTMP, WHEP and LL-HLS players play on every viewer node.",
                "Prints, per viewer region and protocol, the delay behind the host's ingest (the origin time every frame"
                        + " carries, as each node reports it) under both planners; under the brain, the route before and"
                        + " after degrading a link on the far viewers' route (delay, then loss) with the time it took to move"
                        + " and the viewers connected before and after; and the re-route time and dropped viewers after"
                        + " kill -9 of a relay node. Without --topology: 'a r1 origin, b r1 edge, c r2 core, d r2 edge,"
                        + " e r3 core, f r3 edge', 5 ms in a region, r1-r2 and r2-r3 40 ms, r1-r3 120 ms with 0.5 % loss,"
                        + " the tree's r2 and r3 pulling from r1."})
final class BrainLabCommand implements Callable<Integer> {
    private static final String APP = "live";
    private static final String STREAM = "show";
    private static final long POLL_MILLIS = 200;

    @Option(names = "--topology", paramLabel = "FILE", description = "topology file with 'between' lines (default: three regions)")
    Path topology;

    @Option(names = "--dir", paramLabel = "DIR", description = "where node configs, data and logs go (default: a new temp dir)")
    Path dir;

    @Option(names = "--meshlive", defaultValue = "./meshlive", paramLabel = "PATH", description = "the node launcher (default ${DEFAULT-VALUE})")
    Path meshlive;

    @Option(names = "--measure", defaultValue = "20s", converter = Units.DurationConverter.class, paramLabel = "TIME",
            description = "how long latency is sampled per planner, once routes are steady (default ${DEFAULT-VALUE})")
    Duration measure;

    @Option(names = "--steady", defaultValue = "8s", converter = Units.DurationConverter.class, paramLabel = "TIME",
            description = "routes count as steady when unchanged this long (default ${DEFAULT-VALUE})")
    Duration steady;

    @Option(names = "--limit", defaultValue = "60s", converter = Units.DurationConverter.class, paramLabel = "TIME",
            description = "longest wait for each step: the host live, players playing, routes steady, a route moving (default ${DEFAULT-VALUE})")
    Duration limit;

    @Option(names = "--protocols", defaultValue = "flv,rtmp,whep,hls", split = ",", paramLabel = "LIST",
            description = "players on each viewer node (default ${DEFAULT-VALUE})")
    List<String> protocols;

    @Option(names = "--extra-delay", defaultValue = "100ms", converter = Units.DurationConverter.class, paramLabel = "TIME",
            description = "first degrade: this much more one-way delay on the far viewers' inter-region link (default ${DEFAULT-VALUE})")
    Duration extraDelay;

    @Option(names = "--loss", defaultValue = "10", paramLabel = "PERCENT",
            description = "second degrade: this loss on the inter-region link the far viewers' route then uses (default ${DEFAULT-VALUE})")
    double loss;

    @Option(names = "--parent-timeout", defaultValue = "600ms", converter = Units.DurationConverter.class, paramLabel = "TIME",
            description = "cluster.parentTimeoutMs of every node: above the lossy link's TCP stall (200 ms + a round trip)"
                    + " (default ${DEFAULT-VALUE})")
    Duration parentTimeout;

    private final PrintStream out = System.out;
    private final NodeWatch watch = new NodeWatch(APP + "/" + STREAM);
    private PrintStream log;

    /** What one planner's run measured. */
    private static final class Run {
        final String planner;
        /** viewer node → behind-ingest p50 and p99 of each sampled second, µs. */
        final Map<String, List<long[]>> behind = new LinkedHashMap<>();
        final Map<String, String> routes = new LinkedHashMap<>();
        /** viewer node → protocol → "playing/players". */
        final Map<String, Map<String, String>> playing = new LinkedHashMap<>();
        final List<String> experiments = new ArrayList<>();
        String steadyAfter = "";
        int hostRestarts;

        Run(String planner) {
            this.planner = planner;
        }
    }

    @Override
    public Integer call() throws Exception {
        Topology t = topology == null ? Topology.threeRegions() : Topology.parse(Files.readString(topology));
        if (!t.byRegion()) {
            throw new IllegalArgumentException("--topology: the brain lab needs links by region pair ('between' lines)");
        }
        Path root = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("meshlive-brain-lab");
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        // Ctrl-C interrupts the run's waits, so the lab (nodes, links, Redis) and the host close on the way out.
        Thread main = Thread.currentThread();
        return Interruptible.run(main::interrupt, () -> runAll(t, root, loadBefore));
    }

    private int runAll(Topology t, Path root, String loadBefore) throws Exception {
        try (PrintStream logFile = new PrintStream(Files.newOutputStream(root.resolve("brain-lab.log")), true)) {
            log = logFile;
            out.println("brain lab in " + root + " (node logs there, players' reports in brain-lab.log); load average " + loadBefore);
            List<Run> runs = new ArrayList<>();
            for (String planner : List.of("tree", "brain")) {
                runs.add(run(t, planner, root.resolve(planner)));
            }
            print(t, runs);
        }
        out.println("load average before: " + loadBefore + "; after: " + Files.readString(Path.of("/proc/loadavg")).strip());
        return 0;
    }

    private Run run(Topology t, String planner, Path dir) throws Exception {
        Run run = new Run(planner);
        out.println("== " + planner + ": starting redis and " + t.nodes().size() + " nodes");
        try (ClusterLab lab = new ClusterLab(t, Files.createDirectories(dir), meshlive, log, planner,
                (int) parentTimeout.toMillis())) {
            lab.start();
            lab.describe();
            List<NodePlan> nodes = lab.plans();
            NodePlan origin = nodes.stream().filter(p -> p.node().roles().contains("origin")).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("topology: no origin node"));
            List<NodePlan> viewerNodes = nodes.stream().filter(p -> p.node().roles().contains("edge") && p != origin).toList();
            // A node's HTTP port answers before it has joined the store: a host or viewer that came then would find no cluster.
            await("every node joined the cluster", () -> nodes.stream().allMatch(p -> watch.allJoined(p, nodes)));
            String publishUrl = "rtmp://" + origin.host() + ":" + origin.rtmpPort() + "/" + APP + "/" + STREAM;
            try (Host host = new Host(publishUrl, run)) {
                await("the host's stream live on " + origin.node().id() + ", its origin claimed in the store",
                        () -> watch.publishing(origin) && origin.node().id().equals(watch.origin(origin)));
                List<StreamUrl> urls = new ArrayList<>();
                for (NodePlan v : viewerNodes) {
                    for (String protocol : protocols) {
                        urls.add(StreamUrl.parse(url(v, protocol)));
                    }
                }
                PlayLoad load = new PlayLoad(new PlayOptions(urls, urls.size(), limit.multipliedBy(20), 0, Duration.ofSeconds(5), 1, null), log);
                Thread players = new Thread(() -> {
                    try {
                        load.run();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "brain-lab-players");
                players.start();
                try {
                    if (!within(() -> {
                        List<PlayerResult> r = sampleNow(load);
                        return r.size() == urls.size() && r.stream().allMatch(PlayerResult::hasVideo);
                    })) {
                        out.println("   not every player had a picture within " + limit.toSeconds() + " s; going on: "
                                + sample(load).stream().filter(p -> !p.hasVideo()).map(p -> p.url() + " " + p.state()).toList());
                    }
                    long since = System.nanoTime();
                    awaitSteady(nodes, origin, viewerNodes);
                    run.steadyAfter = String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - since) / 1e9);
                    measure(run, nodes, origin, viewerNodes, load);
                    if (planner.equals("brain")) {
                        degrade(run, lab, nodes, origin, viewerNodes, load);
                        kill(run, lab, nodes, origin, load);
                    }
                } finally {
                    load.stop();
                    players.join(Duration.ofSeconds(30).toMillis());
                }
            }
        }
        return run;
    }

    /**
     * The host's encoder (ffmpeg, a small live picture), started again when it exits: on a machine
     * stalled for seconds the node drops a publisher that sent nothing for 10 s, as it should, and
     * the run would otherwise measure nothing from then on. Each restart is counted and printed.
     */
    private final class Host implements AutoCloseable {
        private final String url;
        private final Run run;
        private ExternalProcess process;

        Host(String url, Run run) {
            this.url = url;
            this.run = run;
            this.process = Ffmpeg.publish(TestPattern.live().withSize(320, 180), url);
            current = this;
        }

        /** Starts the encoder again if it exited. */
        void keepAlive() {
            if (!process.isAlive()) {
                process.close();
                run.hostRestarts++;
                out.println("   the host's ffmpeg exited (" + process.describe().lines().findFirst().orElse("") + "); publishing again");
                process = Ffmpeg.publish(TestPattern.live().withSize(320, 180), url);
            }
        }

        @Override
        public void close() {
            current = null;
            process.close();
        }
    }

    /** The host of the run in progress, kept alive by every wait of the run. */
    private Host current;

    private void keepHostAlive() {
        Host h = current;
        if (h != null) {
            h.keepAlive();
        }
    }

    private static String url(NodePlan v, String protocol) {
        String http = "http://" + v.host() + ":" + v.httpPort() + "/" + APP + "/" + STREAM;
        return switch (protocol) {
            case "flv" -> http + ".flv";
            case "rtmp" -> "rtmp://" + v.host() + ":" + v.rtmpPort() + "/" + APP + "/" + STREAM;
            case "whep" -> http + "/whep";
            case "hls" -> http + "/index.m3u8";
            default -> throw new IllegalArgumentException("--protocols: '" + protocol + "'; allowed flv, rtmp, whep, hls");
        };
    }

    private static String protocol(StreamUrl u) {
        return u.rtmp() ? "rtmp" : u.whep() ? "whep" : u.hls() ? "hls" : "flv";
    }

    private Map<String, String> paths(List<NodePlan> nodes, NodePlan origin, List<NodePlan> viewerNodes) {
        Map<String, NodeWatch.Relay> relays = watch.relays(nodes);
        Map<String, String> paths = new LinkedHashMap<>();
        for (NodePlan v : viewerNodes) {
            paths.put(v.node().id(), NodeWatch.path(relays, origin.node().id(), v.node().id()));
        }
        return paths;
    }

    /** Waits until no viewer node's route changed for {@link #steady} (at most {@link #limit}). */
    private void awaitSteady(List<NodePlan> nodes, NodePlan origin, List<NodePlan> viewerNodes) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        Map<String, String> last = paths(nodes, origin, viewerNodes);
        long since = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - since < steady.toNanos()) {
            Thread.sleep(POLL_MILLIS);
            keepHostAlive();
            Map<String, String> now = paths(nodes, origin, viewerNodes);
            if (!now.equals(last) || now.containsValue("?") || now.values().stream().anyMatch(p -> p.startsWith("?"))) {
                out.println("   routes " + now);
                last = now;
                since = System.nanoTime();
            }
        }
        out.println("   routes " + last + (System.nanoTime() < deadline ? " (steady)" : " (not steady within " + limit.toSeconds() + " s)"));
    }

    private void measure(Run run, List<NodePlan> nodes, NodePlan origin, List<NodePlan> viewerNodes, PlayLoad load)
            throws InterruptedException {
        out.println("   measuring for " + measure.toSeconds() + " s");
        viewerNodes.forEach(v -> run.behind.put(v.node().id(), new ArrayList<>()));
        long end = System.nanoTime() + measure.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(1000); // the nodes' figures cover one stats second each
            keepHostAlive();
            Map<String, NodeWatch.Relay> relays = watch.relays(nodes);
            for (NodePlan v : viewerNodes) {
                NodeWatch.Relay r = relays.get(v.node().id());
                if (r != null && r.frames() > 0) {
                    run.behind.get(v.node().id()).add(new long[]{r.behindP50Us(), r.behindP99Us()});
                }
            }
        }
        run.routes.putAll(paths(nodes, origin, viewerNodes));
        for (PlayerResult p : sample(load)) {
            String node = nodeAt(viewerNodes, p.url().host());
            Map<String, String> byProtocol = run.playing.computeIfAbsent(node, k -> new LinkedHashMap<>());
            byProtocol.merge(protocol(p.url()), p.connected() && p.hasVideo() ? "yes" : "NO (" + p.state() + ")", (a, b) -> a + "," + b);
        }
    }

    /** More delay, then loss, on the inter-region link the far viewer node's route uses (the last edge of the topology); how long the route takes to move. */
    private void degrade(Run run, ClusterLab lab, List<NodePlan> nodes, NodePlan origin, List<NodePlan> viewerNodes, PlayLoad load)
            throws InterruptedException {
        NodePlan far = viewerNodes.get(viewerNodes.size() - 1); // the topology lists the farthest region's edge last
        for (int step = 0; step < 2; step++) {
            String before = paths(nodes, origin, viewerNodes).get(far.node().id());
            String[] hop = interRegionHop(lab, before);
            if (hop == null) {
                run.experiments.add("route to " + far.node().id() + " " + before + " crosses no region boundary: nothing to degrade");
                return;
            }
            LinkSpec was = lab.link(hop[0], hop[1]);
            LinkSpec worse = step == 0 ? new LinkSpec(was.delayMillis() + extraDelay.toMillis(), was.jitterMillis(), was.lossPercent(),
                    was.rateBitsPerSecond(), was.bufferBytes()) : was.withLoss(loss);
            long[] playingBefore = playing(load);
            long t0 = System.nanoTime();
            lab.setLink(hop[0], hop[1], worse);
            out.println("   degrade: " + hop[0] + "-" + hop[1] + " " + was + " -> " + worse + " (route to " + far.node().id() + " " + before + ")");
            String after = before;
            long deadline = t0 + limit.toNanos();
            while (after.equals(before) && System.nanoTime() < deadline) {
                Thread.sleep(POLL_MILLIS);
                keepHostAlive();
                after = paths(nodes, origin, viewerNodes).get(far.node().id());
            }
            double moved = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(3000); // viewers that were to drop with the move have by now
            long[] playingAfter = playing(load);
            run.experiments.add(String.format(Locale.ROOT, "%-5s on %s-%s (%s -> %s): route to %s %s -> %s %s; players playing %d/%d before, %d/%d after",
                    step == 0 ? "delay" : "loss", hop[0], hop[1], brief(was), brief(worse), far.node().id(), before, after,
                    after.equals(before) ? "did NOT move within " + limit.toSeconds() + " s" : String.format(Locale.ROOT, "moved after %.1f s", moved),
                    playingBefore[0], playingBefore[1], playingAfter[0], playingAfter[1]));
            out.println("   " + run.experiments.get(run.experiments.size() - 1));
        }
    }

    /** Kills the relay node (not the origin) with the most children; how long until they pull from elsewhere, who dropped. */
    private void kill(Run run, ClusterLab lab, List<NodePlan> nodes, NodePlan origin, PlayLoad load) throws InterruptedException {
        Map<String, NodeWatch.Relay> relays = watch.relays(nodes);
        Map<String, List<String>> children = new HashMap<>();
        relays.values().forEach(r -> {
            if (r.parent() != null && !r.parent().equals(origin.node().id())) {
                children.computeIfAbsent(r.parent(), k -> new ArrayList<>()).add(r.node());
            }
        });
        String victim = children.entrySet().stream().max(Map.Entry.comparingByValue((a, b) -> a.size() - b.size()))
                .map(Map.Entry::getKey).orElse(null);
        if (victim == null) {
            run.experiments.add("kill -9: every node pulls from the origin; no relay node to kill");
            return;
        }
        List<String> downstream = children.get(victim);
        NodePlan victimPlan = lab.plan(victim);
        List<PlayerResult> before = sample(load);
        long onVictim = before.stream().filter(p -> p.url().host().equals(victimPlan.host()) && p.connected()).count();
        long elsewhereBefore = before.stream().filter(p -> !p.url().host().equals(victimPlan.host()) && p.connected()).count();
        Map<Integer, long[]> progress = new HashMap<>(); // player → {frames, nanos of the last new frame}
        before.forEach(p -> progress.put(p.index(), new long[]{p.videoFrames(), p.sampledAtNanos()}));
        Map<Integer, Long> longestGap = new HashMap<>(); // players playing elsewhere at the kill → their longest gap after it
        before.stream().filter(p -> p.hasVideo() && !p.ended() && !p.url().host().equals(victimPlan.host()))
                .forEach(p -> longestGap.put(p.index(), 0L));
        Map<String, Double> reParented = new LinkedHashMap<>();
        Map<String, String> newParent = new HashMap<>();
        long t0 = System.nanoTime();
        lab.kill(victim);
        double killed = (System.nanoTime() - t0) / 1e9;
        long end = t0 + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(50);
            if (reParented.size() < downstream.size()) {
                Map<String, NodeWatch.Relay> now = watch.relays(nodes.stream().filter(p -> downstream.contains(p.node().id())).toList());
                for (String d : downstream) {
                    NodeWatch.Relay r = now.get(d);
                    if (r != null && r.parent() != null && !r.parent().equals(victim) && !reParented.containsKey(d)) {
                        reParented.put(d, (System.nanoTime() - t0) / 1e9);
                        newParent.put(d, r.parent());
                    }
                }
            }
            for (PlayerResult p : sample(load)) {
                long[] last = progress.get(p.index());
                if (last == null || !longestGap.containsKey(p.index())) {
                    continue;
                }
                if (p.videoFrames() > last[0]) {
                    last[0] = p.videoFrames();
                    last[1] = p.sampledAtNanos();
                } else {
                    longestGap.merge(p.index(), p.sampledAtNanos() - last[1], Math::max);
                }
            }
        }
        List<PlayerResult> after = sample(load);
        long elsewhereAfter = after.stream().filter(p -> !p.url().host().equals(victimPlan.host()) && p.connected()).count();
        Map<String, Long> gapByProtocol = new LinkedHashMap<>();
        for (PlayerResult p : after) {
            if (downstream.contains(nodeAt(lab.plans(), p.url().host())) && longestGap.containsKey(p.index())) {
                gapByProtocol.merge(protocol(p.url()), longestGap.getOrDefault(p.index(), 0L), Math::max);
            }
        }
        StringBuilder gaps = new StringBuilder();
        gapByProtocol.forEach((k, v) -> gaps.append(String.format(Locale.ROOT, " %s %.0f ms", k, v / 1e6)));
        StringBuilder moves = new StringBuilder();
        for (String d : downstream) {
            Double s = reParented.get(d);
            moves.append(String.format(Locale.ROOT, " %s %s", d, s == null ? "NOT within 10 s"
                    : String.format(Locale.ROOT, "pulled from %s after %.0f ms", newParent.get(d), s * 1000)));
        }
        run.experiments.add(String.format(Locale.ROOT, "kill -9 %s (relay for %s; gone after %.0f ms): re-routed:%s (its API polled every 50 ms);"
                        + " longest picture gap on their players:%s; players elsewhere connected %d before, %d after (%d dropped);"
                        + " %d played on %s itself and went with it",
                victim, downstream, killed * 1000, moves, gaps, elsewhereBefore, elsewhereAfter, elsewhereBefore - elsewhereAfter,
                onVictim, victim));
        out.println("   " + run.experiments.get(run.experiments.size() - 1));
    }

    /** The first hop of {@code path} (a>c>f) between two regions, as their names; null when it stays in one. */
    private static String[] interRegionHop(ClusterLab lab, String path) {
        String[] ids = path.split(">");
        for (int i = 1; i < ids.length; i++) {
            if (ids[i - 1].equals("?") || ids[i].equals("?")) {
                return null;
            }
            String r1 = lab.plan(ids[i - 1]).node().region();
            String r2 = lab.plan(ids[i]).node().region();
            if (!r1.equals(r2)) {
                return new String[]{r1, r2};
            }
        }
        return null;
    }

    private static String brief(LinkSpec s) {
        return String.format(Locale.ROOT, "%.0f ms%s", s.delayMillis(), s.lossPercent() > 0 ? String.format(Locale.ROOT, " %.1f%% loss", s.lossPercent()) : "");
    }

    /** Players playing (connected, with video) and all players. */
    private static long[] playing(PlayLoad load) throws InterruptedException {
        List<PlayerResult> r = sample(load);
        return new long[]{r.stream().filter(p -> p.connected() && p.hasVideo()).count(), r.size()};
    }

    private static List<PlayerResult> sample(PlayLoad load) throws InterruptedException {
        return load.sample();
    }

    /** For a condition polled by {@link #await}: an interrupt ends the wait at its next check. */
    private static List<PlayerResult> sampleNow(PlayLoad load) {
        try {
            return load.sample();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static String nodeAt(List<NodePlan> nodes, String host) {
        return nodes.stream().filter(p -> p.host().equals(host)).map(p -> p.node().id()).findFirst().orElse(host);
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        if (!within(condition)) {
            throw new IllegalStateException("no " + what + " within " + limit.toSeconds() + " s; see the logs under --dir");
        }
    }

    /** Whether {@code condition} held within {@link #limit}. */
    private boolean within(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
            keepHostAlive();
        }
        return true;
    }

    private static long median(List<long[]> samples, int column) {
        if (samples == null || samples.isEmpty()) {
            return -1;
        }
        long[] v = samples.stream().mapToLong(s -> s[column]).sorted().toArray();
        return v[v.length / 2];
    }

    private static long worst(List<long[]> samples, int column) {
        return samples == null || samples.isEmpty() ? -1 : samples.stream().mapToLong(s -> s[column]).max().orElse(-1);
    }

    private static String ms(long micros) {
        return micros < 0 ? "-" : String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }

    private void print(Topology t, List<Run> runs) {
        out.println();
        out.println("== links (one-way, both directions, relay TCP and probe UDP alike)");
        t.regionLinks().forEach((pair, spec) -> out.println("   " + pair + ": " + spec));
        out.println("== delay behind the host's ingest at each viewer's node, ms (origin time carried in every frame, as the node reports it;"
                + " p50 = median of its 1-s p50s, p99 = worst 1-s p99, over " + measure.toSeconds() + " s)");
        out.printf(Locale.ROOT, "%-6s %-5s %-8s | %-8s %7s %7s %-7s | %-8s %7s %7s %-7s%n", "region", "node", "protocol",
                "tree", "p50", "p99", "playing", "brain", "p50", "p99", "playing");
        Run tree = runs.get(0);
        Run brain = runs.get(1);
        for (String node : tree.behind.keySet()) {
            String region = t.nodes().stream().filter(n -> n.id().equals(node)).findFirst().map(Topology.Node::region).orElse("?");
            for (String protocol : protocols) {
                out.printf(Locale.ROOT, "%-6s %-5s %-8s | %-8s %7s %7s %-7s | %-8s %7s %7s %-7s%n", region, node, protocol,
                        tree.routes.get(node), ms(median(tree.behind.get(node), 0)), ms(worst(tree.behind.get(node), 1)),
                        played(tree, node, protocol), brain.routes.get(node), ms(median(brain.behind.get(node), 0)),
                        ms(worst(brain.behind.get(node), 1)), played(brain, node, protocol));
            }
        }
        out.println("   (every protocol on a node gets the same frames at the same moment: the delay is the node's; LL-HLS players"
                + " wait for a part on top, WHEP for the jitter buffer. 'playing': the player was connected with video at the end"
                + " of the measurement.)");
        for (Run r : runs) {
            out.println("   " + r.planner + ": routes steady " + r.steadyAfter + " after the players started; host (ffmpeg) restarted "
                    + r.hostRestarts + " time(s) after the machine stalled it");
        }
        out.println("== the brain under a degrading link and a dead node");
        brain.experiments.forEach(e -> out.println("   " + e));
    }

    private static String played(Run r, String node, String protocol) {
        String s = r.playing.getOrDefault(node, Map.of()).get(protocol);
        return s == null ? "-" : Arrays.stream(s.split(",")).allMatch("yes"::equals) ? "yes" : "NO";
    }
}
