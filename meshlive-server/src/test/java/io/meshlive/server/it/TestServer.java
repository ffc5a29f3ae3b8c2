package io.meshlive.server.it;

import io.meshlive.testkit.Http1Clients;
import io.meshlive.testkit.ExternalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.meshlive.core.Hub;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.Subscriber;
import io.meshlive.media.Frame;
import io.meshlive.media.TrackType;
import io.netty.channel.EventLoop;
import io.meshlive.server.MeshliveServer;
import io.meshlive.server.ServerConfig;
import io.meshlive.testkit.ExternalProcess;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/**
 * A meshlive node in this JVM, listening on 127.0.0.1 only, on ports the OS picks, with the
 * periodic stats log off; and the URLs a client uses to reach it. Every stream lives in app
 * {@value #APP}. The server's tests and the bench's (through this module's test jar) share it.
 */
public final class TestServer implements AutoCloseable {
    public static final String APP = "live";
    private static final String HOST = "127.0.0.1";
    /** Frames a stream must have received before it counts as live: metadata, both configs, some media. */
    private static final long LIVE_AFTER_FRAMES = 10;

    private final MeshliveServer server;
    private final HttpClient http = Http1Clients.builder().connectTimeout(Duration.ofSeconds(2)).build();

    private TestServer(MeshliveServer server) {
        this.server = server;
    }

    /** Starts a node; {@code tuning} adjusts the test defaults (shorter timeouts and the like). */
    public static TestServer start(Consumer<ServerConfig> tuning) throws InterruptedException {
        ServerConfig c = new ServerConfig();
        c.bind = HOST;
        c.rtmp.port = 0;
        c.http.port = 0;
        c.webrtc.port = 0;
        c.webrtc.candidates = new java.util.ArrayList<>(java.util.List.of(HOST));
        // One warm-up viewer, not a join surge's worth, on each of the suite's many node starts.
        c.webrtc.warmUpJoins = 1;
        c.stats.logIntervalSeconds = 0;
        try {
            c.dataDir = java.nio.file.Files.createTempDirectory("meshlive-it").toString();
            tuning.accept(c);
            return new TestServer(MeshliveServer.start(c));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static TestServer start() throws InterruptedException {
        return start(c -> { });
    }

    public String host() {
        return HOST;
    }

    public int rtmpPort() {
        return server.rtmpPort();
    }

    public int webrtcPort() {
        return server.webrtcPort();
    }

    public int httpPort() {
        return server.httpPort();
    }

    /** The node's relay listener, host:port, when it is in a cluster. */
    public String relayAddress() {
        return server.relays().relayAddress();
    }

    /** The TLS port (HTTP/2 and HTTP/1.1), when the test configured {@code http.tls}. */
    public int httpsPort() {
        return server.httpsPort();
    }

    public Hub hub() {
        return server.hub();
    }

    public String rtmpUrl(String stream) {
        return "rtmp://" + HOST + ":" + rtmpPort() + "/" + APP + "/" + stream;
    }

    public String flvUrl(String stream) {
        return "http://" + HOST + ":" + httpPort() + flvPath(stream);
    }

    public String webSocketUrl(String stream) {
        return "ws://" + HOST + ":" + httpPort() + flvPath(stream);
    }

    public static String flvPath(String stream) {
        return "/" + APP + "/" + stream + ".flv";
    }

    public static StreamKey key(String stream) {
        return new StreamKey(APP, stream);
    }

    /** The stream, or null when the node does not have it. */
    public Stream stream(String stream) {
        return hub().streams().get(key(stream));
    }

    /**
     * Waits until {@code stream} has a publisher and media flowing, so a viewer joining now gets
     * a keyframe at once; {@code publisher} is quoted if it does not get there.
     */
    public Stream awaitLive(String stream, ExternalProcess publisher) {
        try {
            await().atMost(Duration.ofSeconds(15))
                    .failFast("publisher exited", () -> !publisher.isAlive())
                    .until(() -> {
                        Stream s = stream(stream);
                        return s != null && s.publisher() != null && s.stats().framesIn() >= LIVE_AFTER_FRAMES;
                    });
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(APP + "/" + stream + " did not go live (" + e.getMessage() + "): "
                    + publisher.describe(), e);
        }
        return stream(stream);
    }

    /**
     * Waits until {@code stream}'s video has reached {@code at} on its own timeline (ffmpeg's starts
     * at 0): how long a publisher has really published, however far a busy machine let it fall
     * behind the wall clock.
     */
    public void awaitVideoTime(String stream, Duration at, ExternalProcess publisher) {
        VideoClock clock = new VideoClock(hub().workers().loop(0));
        onLoop(clock.loop, () -> hub().streams().subscribe(key(stream), clock));
        try {
            await().atMost(at.plusSeconds(20))
                    .failFast("publisher exited", () -> !publisher.isAlive())
                    .until(() -> clock.latestMicros >= at.toNanos() / 1000);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(APP + "/" + stream + " did not reach " + at.toMillis() + " ms of video (at "
                    + clock.latestMicros / 1000 + " ms): " + publisher.describe(), e);
        } finally {
            onLoop(clock.loop, () -> {
                Stream s = stream(stream);
                if (s != null) {
                    s.unsubscribe(clock);
                }
                return null;
            });
        }
    }

    /** Where {@code stream}'s video is now on its own timeline (its latest cached frame); zero before any. */
    public Duration videoTime(String stream) {
        VideoClock clock = new VideoClock(hub().workers().loop(0));
        onLoop(clock.loop, () -> {
            hub().streams().subscribe(key(stream), clock).unsubscribe(clock); // the GOP replay runs to the live edge
            return null;
        });
        return Duration.ofNanos(Math.max(0, clock.latestMicros) * 1000);
    }

    private static <T> void onLoop(EventLoop loop, java.util.concurrent.Callable<T> task) {
        try {
            loop.submit(task).get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("event loop task failed", e);
        }
    }

    /** A reader that only notes the latest video timestamp it is given. */
    private static final class VideoClock implements Subscriber {
        final EventLoop loop;
        volatile long latestMicros = -1;

        VideoClock(EventLoop loop) {
            this.loop = loop;
        }

        @Override
        public EventLoop eventLoop() {
            return loop;
        }

        @Override
        public void onSubscribed(Stream stream) {
        }

        @Override
        public void onFrame(Frame frame, long nowNanos) {
            if (frame.track() == TrackType.VIDEO && !frame.isConfig()) {
                latestMicros = Math.max(latestMicros, frame.dts());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void onPublisherGone() {
        }

        @Override
        public void onStreamClosed(String reason) {
        }
    }

    /** The stream's subscribers (viewers, and helpers such as packagers and transcoders); 0 when it is gone. */
    public int subscribers(String stream) {
        Stream s = stream(stream);
        return s == null ? 0 : s.subscriberCount();
    }

    /** The details of the sessions playing over {@code protocol} ("whep", "rtmp"...), as the API shows them. */
    public List<Map<String, Object>> sessionDetails(String protocol) {
        return hub().sessions().all().stream().filter(s -> s.protocol().equals(protocol)).map(s -> s.details()).toList();
    }

    public String llHlsUrl(String stream) {
        return "http://" + HOST + ":" + httpPort() + "/" + APP + "/" + stream + "/index.m3u8";
    }

    public String whepUrl(String stream) {
        return "http://" + HOST + ":" + httpPort() + "/" + APP + "/" + stream + "/whep";
    }

    /** GETs {@code path} on the HTTP port and parses the JSON answer. */
    public JsonNode api(String path) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + httpPort() + path))
                .timeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return new ObjectMapper().readTree(r.body());
    }

    /** The entry of {@code /api/v1/streams} for {@code stream}, or a missing node. */
    public JsonNode apiStream(String stream) throws IOException, InterruptedException {
        for (JsonNode s : api("/api/v1/streams").path("streams")) {
            if (APP.equals(s.path("app").asText()) && stream.equals(s.path("stream").asText())) {
                return s;
            }
        }
        return MissingNode.getInstance();
    }

    @Override
    public void close() {
        server.close();
    }
}
