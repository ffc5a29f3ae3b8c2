package io.meshlive.bench;

import io.meshlive.bench.publish.PublishLoad;
import io.meshlive.bench.publish.PublisherResult;
import io.meshlive.server.MeshliveServer;
import io.meshlive.server.ServerConfig;

import java.time.Duration;
import java.util.List;

/** A meshlive node on loopback with ephemeral ports, for tests that drive the bench against a real server. */
public final class TestServer implements AutoCloseable {
    private final MeshliveServer server;

    private TestServer(MeshliveServer server) {
        this.server = server;
    }

    public static TestServer start() throws InterruptedException {
        ServerConfig config = new ServerConfig();
        config.bind = "127.0.0.1";
        config.rtmp.port = 0;
        config.http.port = 0;
        config.stats.logIntervalSeconds = 1;
        try {
            config.dataDir = java.nio.file.Files.createTempDirectory("meshlive-bench").toString();
            return new TestServer(MeshliveServer.start(config));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public StreamUrl rtmp(String stream) {
        return StreamUrl.parse("rtmp://127.0.0.1:" + server.rtmpPort() + "/live/" + stream);
    }

    public StreamUrl httpFlv(String stream) {
        return StreamUrl.parse("http://127.0.0.1:" + server.httpPort() + "/live/" + stream + ".flv");
    }

    public StreamUrl llHls(String stream) {
        return StreamUrl.parse("http://127.0.0.1:" + server.httpPort() + "/live/" + stream + "/index.m3u8");
    }

    /** Waits until every publisher has sent video, so players find a live stream. */
    public static void awaitPublishing(PublishLoad load) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            List<PublisherResult> sample = load.sample();
            if (sample.stream().allMatch(p -> p.publishing() && p.videoFrames() > 0)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("publishers did not start: " + load.sample());
    }

    @Override
    public void close() {
        server.close();
    }
}
