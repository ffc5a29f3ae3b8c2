package io.meshlive.bench.lab;

import io.meshlive.testkit.lab.TcpLink;

import java.io.IOException;
import java.io.PrintStream;
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

/**
 * Runs a lab cluster on this machine: a redis-server on a free port, one real {@code ./meshlive}
 * process per node of a {@link Topology} (each on its own loopback address, with its config
 * written to a directory of its own), and a {@link TcpLink} in front of every shaped node's relay
 * port. {@link #close} stops everything it started, in reverse order.
 */
public final class ClusterLab implements AutoCloseable {
    private static final Duration START_LIMIT = Duration.ofSeconds(120);

    private final Topology topology;
    private final Path root;
    private final Path meshlive;
    private final PrintStream out;
    private final List<NodePlan> plans = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final List<TcpLink> links = new ArrayList<>();
    private int redisPort;

    public ClusterLab(Topology topology, Path root, Path meshlive, PrintStream out) {
        this.topology = topology;
        this.root = root;
        this.meshlive = meshlive;
        this.out = out;
    }

    /** Plans every node (ports, directories, configs) without starting anything. */
    public List<NodePlan> plan(String store, String secret) throws IOException {
        plans.clear();
        int index = 11;
        for (Topology.Node node : topology.nodes()) {
            Path dir = Files.createDirectories(root.resolve(node.id()));
            NodePlan plan = new NodePlan(node, index++, freePort(), freePort(), freePort(), freePort(), dir);
            Files.writeString(plan.configFile(), plan.config(store, secret, topology.parentRegions()));
            plans.add(plan);
        }
        return plans;
    }

    /** Starts Redis, the links and the nodes, and waits until every node's HTTP port answers. */
    public void start() throws IOException, InterruptedException {
        redisPort = freePort();
        processes.add(new ProcessBuilder("redis-server", "--bind", "127.0.0.1", "--port", String.valueOf(redisPort),
                "--save", "", "--appendonly", "no")
                .redirectErrorStream(true).redirectOutput(root.resolve("redis.log").toFile()).start());
        awaitPort("redis-server", processes.get(0), "127.0.0.1", redisPort, root.resolve("redis.log"));
        String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        plan("redis://127.0.0.1:" + redisPort, secret);
        for (NodePlan p : plans) {
            if (p.shaped()) {
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
                out.println("link into " + plans.get(i).node().id() + ": " + links.get(l++).stats());
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
    }
}
