package io.meshlive.bench;

import io.meshlive.bench.publish.PublishLoad;
import io.meshlive.bench.publish.PublisherResult;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
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
        return start(config -> {
        });
    }

    /** With {@code tuning} applied to the configuration (a transcoding ladder, say). */
    public static TestServer start(java.util.function.Consumer<ServerConfig> tuning) throws InterruptedException {
        ServerConfig config = new ServerConfig();
        config.bind = "127.0.0.1";
        config.rtmp.port = 0;
        config.http.port = 0;
        config.stats.logIntervalSeconds = 1;
        config.webrtc.port = 0;
        config.webrtc.candidates = List.of("127.0.0.1");
        try {
            config.dataDir = java.nio.file.Files.createTempDirectory("meshlive-bench").toString();
            tuning.accept(config);
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

    public StreamUrl whep(String stream) {
        return StreamUrl.parse("http://127.0.0.1:" + server.httpPort() + "/live/" + stream + "/whep");
    }

    /** The stream's subscribers (viewers, and helpers such as the Opus transcoder), or 0 when it is gone. */
    public int subscribers(String stream) {
        Stream s = server.hub().streams().get(new StreamKey("live", stream));
        return s == null ? 0 : s.subscriberCount();
    }

    /** Waits until {@code stream} has a publisher and a second of frames, so a viewer gets a keyframe at once. */
    public void awaitLive(String stream, Process publisher) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline && publisher.isAlive()) {
            Stream s = server.hub().streams().get(new StreamKey("live", stream));
            if (s != null && s.publisher() != null && s.stats().framesIn() > 60) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("live/" + stream + " did not go live; publisher "
                + (publisher.isAlive() ? "running" : "exited with " + publisher.exitValue()));
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

    /** The node's hub (its event loops, streams and sessions). */
    public io.meshlive.core.Hub hub() {
        return server.hub();
    }

    /** The WHEP viewer sessions' details, as the API shows them. */
    public List<java.util.Map<String, Object>> whepDetails() {
        return server.hub().sessions().all().stream().filter(s -> s.protocol().equals("whep")).map(s -> s.details()).toList();
    }

    @Override
    public void close() {
        server.close();
    }
}
