package io.meshlive.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real nginx-rtmp (Debian's {@code nginx} + {@code libnginx-mod-rtmp}) for interop tests: a
 * generated config in a temp dir, {@code daemon off}, one {@code live} application on a port
 * chosen at run time on 127.0.0.1. {@link #close} stops it and says nothing if it already died;
 * {@link #log} is its error log, for assertion messages.
 */
public final class NginxRtmp implements AutoCloseable {
    public static final String NGINX = "/usr/sbin/nginx";
    public static final String MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so";
    public static final String APP = "live";

    private final Path dir;
    private final int port;
    private final Process process;

    private NginxRtmp(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Starts nginx and waits (up to 10 s) until its RTMP port accepts connections. */
    public static NginxRtmp start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("meshlive-nginx");
        int port = freePort();
        String conf = String.join("\n",
                "load_module " + MODULE + ";",
                "daemon off;",
                "master_process off;",
                "worker_processes 1;",
                "error_log " + dir.resolve("error.log") + " info;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "events { worker_connections 256; }",
                "rtmp {",
                "  server {",
                "    listen 127.0.0.1:" + port + ";",
                "    chunk_size 4096;",
                "    application " + APP + " { live on; }",
                "  }",
                "}",
                "");
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(List.of(NGINX, "-e", dir.resolve("error.log").toString(), "-p", dir.toString(), "-c", file.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        NginxRtmp nginx = new NginxRtmp(dir, port, p);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!nginx.accepts()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                nginx.close();
                throw new IllegalStateException("nginx-rtmp did not start listening on " + port + ": " + nginx.log());
            }
            Thread.sleep(20); // polling a port that has no event to wait on
        }
        return nginx;
    }

    public int port() {
        return port;
    }

    /** {@code rtmp://127.0.0.1:port/live/stream}. */
    public String url(String stream) {
        return "rtmp://127.0.0.1:" + port + "/" + APP + "/" + stream;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** nginx's error log and output so far. */
    public String log() {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("error.log", "stdout.log")) {
            try {
                Path f = dir.resolve(name);
                if (Files.exists(f)) {
                    out.append(Files.readString(f, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                out.append("(cannot read ").append(name).append(": ").append(e.getMessage()).append(")");
            }
        }
        return out.toString();
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
