package io.meshlive.bench.lab;

import io.meshlive.testkit.lab.LinkPolicy;
import io.meshlive.testkit.lab.LinkSpec;
import io.meshlive.testkit.lab.TcpLink;
import io.meshlive.testkit.lab.UdpLink;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a lab cluster on this machine: a redis-server on a free port, one real {@code ./meshlive}
 * process per node of a {@link Topology} (each on its own loopback address, with its config
 * written to a directory of its own), and a {@link TcpLink} in front of every shaped node's relay
 * port. With links by region pair ({@link Topology#byRegion}) each node's relay port (TCP) and probe
 * port (UDP) get a link that shapes every peer by the pair of regions, as {@link #setLink} says now.
 * {@link #close} stops everything it started, in reverse order.
 */
public final class ClusterLab implements AutoCloseable {
    private static final Duration START_LIMIT = Duration.ofSeconds(120);

    private final Topology topology;
    private final Path root;
    private final Path meshlive;
    private final PrintStream out;
    /** {@code cluster.planner} of every node: tree or brain. */
    private final String planner;
    private final int parentTimeoutMs;
    /** The node's own default. */
    public static final int DEFAULT_PARENT_TIMEOUT_MS = 300;
    /** Region pair → the link between them now ({@link Topology#pair} keys); read by the links' threads. */
    private final Map<String, LinkSpec> regionLinks = new ConcurrentHashMap<>();
    /** A node's address → its region, for the links' policy. */
    private final Map<InetAddress, String> regionOf = new ConcurrentHashMap<>();
    private final List<UdpLink> probeLinks = new ArrayList<>();
    private final List<NodePlan> plans = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<TcpLink> links = new ArrayList<>();
    private int redisPort;

    public ClusterLab(Topology topology, Path root, Path meshlive, PrintStream out) {
        this(topology, root, meshlive, out, "tree", DEFAULT_PARENT_TIMEOUT_MS);
    }

    /**
     * @param planner         {@code cluster.planner} of every node
     * @param parentTimeoutMs {@code cluster.parentTimeoutMs} of every node: above a lossy link's TCP stall
     *                        (a retransmission timeout, 200 ms + a round trip), or the link is dropped as dead
     */
    public ClusterLab(Topology topology, Path root, Path meshlive, PrintStream out, String planner, int parentTimeoutMs) {
        this.topology = topology;
        this.root = root;
        this.meshlive = meshlive;
        this.out = out;
        this.planner = planner;
        this.parentTimeoutMs = parentTimeoutMs;
        regionLinks.putAll(topology.regionLinks());
    }

    /** Plans every node (ports, directories, configs) without starting anything. */
    public List<NodePlan> plan(String store, String secret) throws IOException {
        plans.clear();
        int index = 11;
        for (Topology.Node node : topology.nodes()) {
            Path dir = Files.createDirectories(root.resolve(node.id()));
            NodePlan plan = new NodePlan(node, index++, freePort(), freePort(), freePort(), freePort(), freeUdpPort(),
                    topology.byRegion(), dir);
            Files.writeString(plan.configFile(), plan.config(store, secret, topology.parentRegions(), planner, parentTimeoutMs));
            plans.add(plan);
        }
        return plans;
    }

    /** Starts Redis, the links and the nodes, and waits until every node's HTTP port answers. */
    public void start() throws IOException, InterruptedException {
        buildOnce();
        redisPort = freePort();
        processes.add(new ProcessBuilder("redis-server", "--bind", "127.0.0.1", "--port", String.valueOf(redisPort),
                "--save", "", "--appendonly", "no")
                .redirectErrorStream(true).redirectOutput(root.resolve("redis.log").toFile()).start());
        awaitPort("redis-server", processes.get(0), "127.0.0.1", redisPort, root.resolve("redis.log"));
        String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        plan("redis://127.0.0.1:" + redisPort, secret);
        for (NodePlan p : plans) {
            regionOf.put(InetAddress.getByName(p.host()), p.node().region());
        }
        for (NodePlan p : plans) {
            if (topology.byRegion()) {
                LinkPolicy policy = source -> {
                    String from = regionOf.get(source);
                    return from == null ? LinkSpec.NONE : regionLinks.getOrDefault(Topology.pair(from, p.node().region()), LinkSpec.NONE);
                };
                links.add(TcpLink.start(new InetSocketAddress(p.advertiseHost(), p.relayPort()),
                        new InetSocketAddress(p.host(), p.relayPort()), LinkSpec.NONE, policy));
                probeLinks.add(UdpLink.start(new InetSocketAddress(p.advertiseHost(), p.probePort()),
                        new InetSocketAddress(p.host(), p.probePort()), policy));
            } else if (p.shaped()) {
                links.add(TcpLink.start(new InetSocketAddress(p.advertiseHost(), p.relayPort()),
                        new InetSocketAddress(p.host(), p.relayPort()), p.node().link()));
            }
            Path log = p.dir().resolve("meshlive.log");
            processes.add(new ProcessBuilder(meshlive.toString(), "--config", p.configFile().toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start());
        }
        for (int i = 0; i < plans.size(); i++) {
            NodePlan p = plans.get(i);
            awaitPort("node " + p.node().id(), processes.get(i + 1), p.host(), p.httpPort(), p.dir().resolve("meshlive.log"));
        }
    }

    /**
     * Runs the launcher once with {@code --help} before any node starts: {@code ./meshlive} builds
     * the server when the sources are newer than its build, and six nodes starting at once would
     * otherwise start six builds of the same tree side by side.
     */
    private void buildOnce() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(meshlive.toString(), "--help").redirectErrorStream(true)
                .redirectOutput(root.resolve("build.log").toFile()).start();
        if (!p.waitFor(15, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(meshlive + " --help did not succeed (a build that failed?); its output: " + root.resolve("build.log")
                    + ":\n" + tail(root.resolve("build.log")));
        }
    }

    /** The planned nodes (after {@link #start}: running). */
    public List<NodePlan> plans() {
        return List.copyOf(plans);
    }

    public NodePlan plan(String nodeId) {
        return plans.stream().filter(p -> p.node().id().equals(nodeId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node '" + nodeId + "'"));
    }

    /** The link between two regions from now on (links by region pair only): relay and probes alike, packets in flight keep theirs. */
    public void setLink(String region1, String region2, LinkSpec spec) {
        if (!topology.byRegion()) {
            throw new IllegalStateException("the topology has no links by region pair");
        }
        regionLinks.put(Topology.pair(region1, region2), spec);
    }

    /** The link between two regions now. */
    public LinkSpec link(String region1, String region2) {
        return regionLinks.getOrDefault(Topology.pair(region1, region2), LinkSpec.NONE);
    }

    /** Kills a node's process at once ({@code kill -9}: SIGKILL, no goodbye to anyone); returns when it is gone. */
    public void kill(String nodeId) throws InterruptedException {
        Process p = processes.get(1 + plans.indexOf(plan(nodeId)));
        p.destroyForcibly(); // SIGKILL on Linux and macOS
        p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Prints every node's URLs, config and log, and the links. */
    public void describe() {
        out.println("redis: redis://127.0.0.1:" + redisPort + " (log " + root.resolve("redis.log") + ")");
        for (NodePlan p : plans) {
            out.println(p.urls());
            out.println("    config " + p.configFile() + "  log " + p.dir().resolve("meshlive.log"));
        }
    }

    /** Each link's counters so far. */
    public void reportLinks() {
        for (int i = 0, l = 0; i < plans.size(); i++) {
            if (plans.get(i).shaped()) {
                out.println("link into " + plans.get(i).node().id() + ": " + links.get(l).stats()
                        + (probeLinks.isEmpty() ? "" : "; probes: " + probeLinks.get(l).stats()));
                l++;
            }
        }
    }

    private static void awaitPort(String what, Process process, String host, int port, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException(what + " did not come up on " + host + ":" + port + (process.isAlive() ? "" : " (exited "
                            + process.exitValue() + ")") + "; its log " + log + ":\n" + tail(log));
                }
                Thread.sleep(100); // a port has nothing to wait on but polling
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(cannot read: " + e.getMessage() + ")";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static int freeUdpPort() throws IOException {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        links.forEach(TcpLink::close);
        probeLinks.forEach(UdpLink::close);
    }
}
