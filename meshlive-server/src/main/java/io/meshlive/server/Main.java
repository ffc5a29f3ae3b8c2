package io.meshlive.server;

import io.meshlive.server.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code meshlive}: runs one node. Flags override the config file, which overrides the defaults. */
@Command(name = "meshlive", mixinStandardHelpOptions = true, version = "meshlive 0.1.0",
        description = "Ultra-low-latency live streaming server: RTMP in; RTMP, HTTP-FLV and WebSocket-FLV out.")
public final class Main implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file")
    Path config;
    @Option(names = "--rtmp-port", paramLabel = "PORT", description = "RTMP port (default 1935)")
    Integer rtmpPort;
    @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port for HTTP-FLV, WebSocket-FLV and the API (default 8080)")
    Integer httpPort;
    @Option(names = "--webrtc-port", paramLabel = "PORT", description = "UDP port for WebRTC (default 8000)")
    Integer webrtcPort;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "directory for persistent state (default ./data)")
    Path dataDir;
    @Option(names = "--bind", paramLabel = "ADDR", description = "address to listen on (default 0.0.0.0)")
    String bind;
    @Option(names = "--print-config", description = "print the effective configuration as YAML and exit")
    boolean printConfig;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig c;
        try {
            c = config == null ? new ServerConfig() : ServerConfig.load(config);
        } catch (ConfigException e) {
            System.err.println("meshlive: bad configuration: " + e.getMessage());
            return 2;
        }
        if (rtmpPort != null) {
            c.rtmp.port = rtmpPort;
        }
        if (httpPort != null) {
            c.http.port = httpPort;
        }
        if (webrtcPort != null) {
            c.webrtc.port = webrtcPort;
        }
        if (dataDir != null) {
            c.dataDir = dataDir.toString();
        }
        if (bind != null) {
            c.bind = bind;
        }
        try {
            c.validate("command line");
        } catch (ConfigException e) {
            System.err.println("meshlive: bad configuration: " + e.getMessage());
            return 2;
        }
        if (printConfig) {
            System.out.print(c.toYaml());
            return 0;
        }
        MeshliveServer server = MeshliveServer.start(c);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "meshlive-shutdown"));
        stopped.await();
        return 0;
    }
}
