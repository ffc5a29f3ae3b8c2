package io.meshlive.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A meshlive node in its own JVM: {@code java -cp <classpath> io.meshlive.server.Main --config <yaml>},
 * every port 0 (the node picks free ones), its log in a file. {@link #start} returns once the node
 * logged that it is up, with the ports it took; {@link #kill} is {@code kill -9}.
 */
public final class NodeProcess implements AutoCloseable {
    private static final long START_TIMEOUT_MILLIS = 120_000;
    private static final Pattern UP = Pattern.compile("rtmp://[^:]+:(\\d+)/.*? play http://[^:]+:(\\d+)/");
    private static final Pattern RELAY = Pattern.compile("relays on ([^ ,]+:\\d+)");

    private final String name;
    private final Process process;
    private final Path log;
    private final int rtmpPort;
    private final int httpPort;
    private final String relayAddress;

    private NodeProcess(String name, Process process, Path log, int rtmpPort, int httpPort, String relayAddress) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.rtmpPort = rtmpPort;
        this.httpPort = httpPort;
        this.relayAddress = relayAddress;
    }

    /**
     * Starts a node on 127.0.0.1 with the given YAML (without the listener ports, which this
     * sets to 0) and waits until it is up.
     *
     * @param classpath the meshlive-server runtime classpath (a test's own {@code java.class.path} will do)
     * @param dir       where the config, the data directory and the log go
     */
    public static NodeProcess start(String name, String yaml, String classpath, Path dir) {
        try {
            Files.createDirectories(dir);
            Path config = dir.resolve(name + ".yaml");
            Path log = dir.resolve(name + ".log");
            Files.writeString(config, "bind: 127.0.0.1\n"
                    + "dataDir: " + dir.resolve(name + "-data") + "\n"
                    + "rtmp: {port: 0}\nhttp: {port: 0}\nwebrtc: {port: 0, candidates: [127.0.0.1], warmUpJoins: 1}\n"
                    + "stats: {logIntervalSeconds: 1}\n" + yaml);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(List.of(java, "-XX:+UseSerialGC", "-Xmx256m", "-cp", classpath,
                    "io.meshlive.server.Main", "--config", config.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
            while (System.nanoTime() < deadline) {
                String text = Files.readString(log, StandardCharsets.UTF_8);
                Matcher up = UP.matcher(text);
                if (up.find()) {
                    Matcher relay = RELAY.matcher(text);
                    return new NodeProcess(name, p, log, Integer.parseInt(up.group(1)), Integer.parseInt(up.group(2)),
                            relay.find() ? relay.group(1) : null);
                }
                if (!p.isAlive()) {
                    throw new IllegalStateException("node " + name + " exited with " + p.exitValue() + ": " + tail(text));
                }
                p.waitFor(50, TimeUnit.MILLISECONDS);
            }
            p.destroyForcibly();
            throw new IllegalStateException("node " + name + " not up after " + START_TIMEOUT_MILLIS + " ms: "
                    + tail(Files.readString(log, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting node " + name, e);
        }
    }

    private static String tail(String text) {
        return text.length() > 3000 ? text.substring(text.length() - 3000) : text;
    }

    public String name() {
        return name;
    }

    public int rtmpPort() {
        return rtmpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The relay listener's host:port, or null when the node is not in a cluster. */
    public String relayAddress() {
        return relayAddress;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** The node's log so far. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** {@code kill -9}: the node gets no chance to close anything. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the node as an operator would (SIGTERM), killing it if it does not stop in time. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "node " + name + " (pid " + process.pid() + ", rtmp " + rtmpPort + ", http " + httpPort + ")";
    }
}
