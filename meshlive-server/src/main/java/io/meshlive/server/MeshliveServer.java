package io.meshlive.server;

import io.meshlive.server.config.ConfigException;
import io.meshlive.core.Transport;
import io.meshlive.core.Hub;
import io.meshlive.core.Stream;
import io.meshlive.core.Workers;
import io.meshlive.rtmp.RtmpService;
import io.meshlive.flv.FlvService;
import io.meshlive.hls.HlsService;
import io.meshlive.transcode.AudioService;
import io.meshlive.webrtc.RenditionLadder;
import io.meshlive.webrtc.WebRtcService;
import io.meshlive.cluster.ClusterNode;
import io.meshlive.server.control.ClusterApi;
import io.meshlive.server.control.ControlApi;
import io.meshlive.server.control.ForbidApi;
import io.meshlive.server.control.SessionsApi;
import io.meshlive.server.control.StreamsApi;
import io.meshlive.server.control.ForbidList;
import io.meshlive.server.control.PublishRule;
import io.meshlive.server.control.ScheduleApi;
import io.meshlive.server.control.UrlSigner;
import io.meshlive.server.metrics.NodeMetrics;
import io.meshlive.transcode.video.LadderSpec;
import io.meshlive.transcode.video.Transcoder;
import io.meshlive.transcode.video.Transcoders;
import io.meshlive.server.hooks.WebhookSettings;
import io.meshlive.server.hooks.Webhooks;
import io.meshlive.server.snapshot.Snapshots;
import java.util.HashSet;
import java.util.Set;
import io.meshlive.server.record.RecordingApi;
import io.meshlive.server.record.Recordings;
import io.meshlive.server.control.ReadyApi;
import io.meshlive.server.control.RelaysApi;
import io.meshlive.cluster.staticrelay.StaticRelays;
import io.meshlive.core.AccessRequest;
import io.meshlive.core.Admission;
import io.meshlive.core.Session;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** One meshlive node: the hub, the RTMP and HTTP listeners, and the stats reporter. */
public final class MeshliveServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MeshliveServer.class);

    private final ServerConfig config;
    private final EventLoopGroup group;
    private final Hub hub;
    private final Channel rtmp;
    private final Channel http;
    /** The TLS listener, or null when http.tls is not configured. */
    private final Channel https;
    private final StatsReporter stats;
    private final NodeMetrics metrics;
    private final Webhooks webhooks;
    private final Recordings recordings;
    private final ExecutorService apiExecutor;
    private final HlsService hls;
    private final WebRtcService webrtc;
    private final AudioService audio;
    private final Snapshots snapshots;
    private final ClusterNode cluster;
    /** This node's relays to and from other nodes, or null for a single node (no cluster.store). */
    private final io.meshlive.cluster.ClusterRelays relays;
    private final StaticRelays staticRelays;
    /** Every accepted connection, so shutdown can close them before the loops stop. */
    private final ChannelGroup connections = new DefaultChannelGroup("meshlive-connections", GlobalEventExecutor.INSTANCE);

    private MeshliveServer(ServerConfig config) throws InterruptedException, IOException {
        this.config = config;
        int threads = config.workers > 0 ? config.workers : Runtime.getRuntime().availableProcessors();
        Transport.use(config.transportKind());
        this.group = Transport.group(threads, "meshlive-io");
        this.hub = new Hub(new Workers(group), config.hubSettings());
        this.cluster = new ClusterNode(config.cluster, hub, nodeId(config));
        try {
            ForbidList forbids = new ForbidList(hub, Path.of(config.dataDir), cluster.store());
            this.webhooks = new Webhooks(webhookSettings(config.webhooks));
            this.relays = config.cluster.enabled()
                    ? new io.meshlive.cluster.ClusterRelays(hub, config.cluster, cluster.store(), cluster.recentNodes(), cluster.nodeId(), config.bind) : null;
            if (relays != null) {
                cluster.setRelayAddress(relays.relayAddress());
                cluster.setProbeAddress(relays.probeAddress());
                cluster.setCarried(relays::carried);
            }
            PublishRule publishRule = new PublishRule(config.publish.allow);
            Admission admission = forbids.then(publishRule).then(new UrlSigner(config.signing)).then(webhooks);
            hub.setAdmission(relays == null ? admission : admission.then(relays.admission()));
            log.info("{}", publishRule.describe(config.signing));
            hub.sessions().onEnded(this::sessionEnded);
            this.recordings = new Recordings(hub, config.record, config.dataDir, webhooks);
            ControlApi api = new ControlApi(hub, config.api.token);
            api.addRoutes("streams", new StreamsApi(hub));
            api.addRoutes("sessions", new SessionsApi(hub));
            api.addStreamRoutes("forbid", new ForbidApi(forbids));
            api.addListing("forbidden", () -> Map.of("forbidden", forbids.list()));
            api.addStreamRoutes("record", new RecordingApi(recordings, config.record));
            api.addListing("recordings", () -> Map.of("recordings", recordings.list()));
            api.addRoutes("cluster", new ClusterApi(cluster, hub, relays == null ? List::of : relays::status));
            api.addRoutes("brain", new io.meshlive.server.control.BrainApi(cluster.store()));
            api.addRoutes("schedule", new ScheduleApi(cluster.store(), cluster.recentNodes(), new io.meshlive.cluster.brain.ViewerSchedule(config.cluster.schedule)));
            Transcoders transcoders = new Transcoders(hub, config.ladders());
            api.addListing("transcoders", () -> Map.of("transcoders", transcoders.status()));
            this.staticRelays = new StaticRelays(hub, config.relays, forbids);
            api.addRoutes("relays", new RelaysApi(staticRelays));
            hub.streams().setCueRateLimit(config.cues.maxPerSecond);
            hub.streams().setSeiCueUuid(config.cues.seiUuidBytes());
            api.addStreamRoutes("cues", new io.meshlive.server.cue.CueApi(hub));
            if (!api.hasToken()) {
                log.info("api.token is not set: the HTTP API answers loopback clients only");
            }
            this.rtmp = bind(config.rtmp.port, new RtmpService(hub, config.rtmpSettings()));
            this.metrics = new NodeMetrics(hub);
            metrics.watch(transcoders);
            this.apiExecutor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "meshlive-api");
                t.setDaemon(true);
                return t;
            });
            this.hls = new HlsService(hub, config.hlsSettings(), transcoders::ladderOf);
            this.audio = new AudioService(hub);
            this.webrtc = new WebRtcService(hub, config.webRtcSettings(), renditionLadder(config.ladders()), audio);
            metrics.watch(webrtc);
            webrtc.start(config.bind);
            api.addRoutes("ready", new ReadyApi(webrtc));
            this.snapshots = snapshots(config, hub, webhooks);
            HttpPipelines pipelines = new HttpPipelines(new HttpServices(hub, api, metrics, apiExecutor, ConsoleAssets.load(), new FlvService(hub), hls,
                    webrtc.http(), snapshots.live(), CrossOrigin.Policy.of(config.http.cors.allowedOrigins),
                    config.metrics.open),
                    new HttpConnectionLimits(config.http));
            this.http = bind(config.http.port, new HttpChannelInitializer(pipelines));
            this.https = HttpTls.configured(config.http.tls)
                    ? bind(config.http.tls.port, new HttpsChannelInitializer(tlsContext(config.http.tls), pipelines)) : null;
            cluster.start(host(), Map.of("rtmp", rtmpPort(), "http", httpPort(), "webrtc", webrtc.port()), forbids.sync());
        } catch (InterruptedException | IOException | RuntimeException e) {
            cluster.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        this.stats = new StatsReporter(hub, config.stats.logIntervalSeconds);
        String http = "http://" + host() + ":" + httpPort();
        log.info("meshlive up: {} I/O thread(s), {} transport; publish and play rtmp://{}:{}/{app}/{stream}; play {}/{app}/{stream}.flv (also ws://), "
                        + "{}/{app}/{stream}.m3u8 (HLS), {}/{app}/{stream}/index.m3u8 (LL-HLS); WebRTC: POST SDP to {}/{app}/{stream}/whep (play) or /whip (publish), media on UDP {}; "
                        + "console {}/ ; API {}/api/v1 ; metrics {}/metrics",
                threads, Transport.name(), host(), rtmpPort(), http, http, http, http, webrtc.port(), http, http, http);
        log.info("open-files limit: {} (every connection takes one; ./meshlive raises the soft limit to the hard one)",
                OpenFilesLimit.inEffect());
        if (https != null) {
            log.info("TLS (HTTP/2 and HTTP/1.1 by ALPN): the same URLs at https://{}:{}", host(), httpsPort());
        }
    }

    /** {@code cluster.nodeId}, else this host's name and HTTP port (unique per host as the ports are). */
    private static String nodeId(ServerConfig config) {
        if (!config.cluster.nodeId.isBlank()) {
            return config.cluster.nodeId;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName() + "-" + config.http.port;
        } catch (java.net.UnknownHostException e) {
            return "node-" + config.http.port;
        }
    }

    /** This node's relays, or null for a single node: the heartbeat reports their address and streams. */
    public io.meshlive.cluster.ClusterRelays relays() {
        return relays;
    }

    private static io.netty.handler.ssl.SslContext tlsContext(ServerConfig.Tls tls) {
        try {
            return HttpTls.context(tls, "configuration");
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** What WHEP viewers may move between: each app's configured renditions, named as the transcoder publishes them. */
    private static RenditionLadder renditionLadder(Map<String, LadderSpec> ladders) {
        return source -> {
            LadderSpec spec = ladders.get(source.app());
            if (spec == null) {
                return List.of();
            }
            List<RenditionLadder.Rendition> out = new ArrayList<>();
            Transcoder.renditionKeys(source, spec).forEach((r, key) -> out.add(new RenditionLadder.Rendition(key, r.bitsPerSecond())));
            return out;
        };
    }

    private static WebhookSettings webhookSettings(ServerConfig.Hooks h) {
        if (h.url.isEmpty()) {
            return new WebhookSettings(null, null, null, false, 0, null);
        }
        try {
            return new WebhookSettings(URI.create(h.url), h.secret.getBytes(StandardCharsets.UTF_8),
                    Duration.ofMillis(h.timeoutMs), h.failOpen, h.retries, Duration.ofMillis(h.firstRetryDelayMs));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("webhooks: " + e.getMessage(), e);
        }
    }

    private static Snapshots snapshots(ServerConfig config, Hub hub, Webhooks webhooks) {
        ServerConfig.SnapshotConfig c = config.snapshot;
        Set<String> apps = new HashSet<>();
        c.apps.forEach((app, settings) -> {
            if (settings.enabled) {
                apps.add(app);
            }
        });
        return new Snapshots(hub, c.quality, c.intervalSeconds, c.keep, c.width, apps, Path.of(config.dataDir), webhooks);
    }

    /** on_unpublish / on_stop, with what the session carried. */
    private void sessionEnded(Session s) {
        if (s.stream() == null) {
            return;
        }
        boolean publisher = s.role() == Session.Role.PUBLISHER;
        AccessRequest r = new AccessRequest(publisher ? AccessRequest.Action.PUBLISH : AccessRequest.Action.PLAY,
                s.protocol(), s.stream(), Map.of(), s.remoteAddress());
        webhooks.notify(publisher ? "on_unpublish" : "on_stop", r, Map.of(
                "sessionId", s.id(), "bytes", publisher ? s.bytesIn() : s.bytesOut(),
                "durationMillis", System.currentTimeMillis() - s.startedMillis()));
    }

    public static MeshliveServer start(ServerConfig config) throws InterruptedException, IOException {
        return new MeshliveServer(config);
    }

    private Channel bind(int port, io.netty.channel.ChannelHandler initializer) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap();
        if (Transport.notSentLowat() != null && config.hub.socketUnsentBytes > 0) {
            b.childOption(Transport.notSentLowat(), (long) config.hub.socketUnsentBytes);
        }
        b
                .group(group)
                .channel(Transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new AcceptFailureLog("listener on port " + port))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(initializer);
                    }
                });
        try {
            return b.bind(new InetSocketAddress(config.bind, port)).sync().channel();
        } catch (Exception e) {
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            throw new IllegalStateException("cannot listen on " + config.bind + ":" + port + ": " + e.getMessage()
                    + " (is another server using the port? change it with the flag or the config file)", e);
        }
    }

    private String host() {
        return "0.0.0.0".equals(config.bind) ? "127.0.0.1" : config.bind;
    }

    public Hub hub() {
        return hub;
    }

    /** This node in the cluster (its control store; the in-memory one without cluster.store). */
    public ClusterNode cluster() {
        return cluster;
    }


    public int rtmpPort() {
        return ((InetSocketAddress) rtmp.localAddress()).getPort();
    }

    public int webrtcPort() {
        return webrtc.port();
    }

    public int httpPort() {
        return ((InetSocketAddress) http.localAddress()).getPort();
    }

    /** The TLS port (HTTP/2 and HTTP/1.1), or -1 when TLS is not configured. */
    public int httpsPort() {
        return https == null ? -1 : ((InetSocketAddress) https.localAddress()).getPort();
    }

    @Override
    public void close() {
        stats.close();
        staticRelays.close();
        if (relays != null) {
            relays.close();
        }
        rtmp.close().syncUninterruptibly();
        http.close().syncUninterruptibly();
        if (https != null) {
            https.close().syncUninterruptibly();
        }
        for (Stream s : hub.streams().all()) {
            s.terminate("server shutting down");
        }
        hls.close();
        webrtc.close();
        audio.close(); // its queued frames still run and are handed back, or released
        try {
            snapshots.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        // A short quiet period lets the tasks queued by all of the above run (releasing what they hold).
        group.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        apiExecutor.shutdownNow();
        recordings.close(); // after the loops, which closed every recorder's file
        metrics.close();
        webhooks.close();
        cluster.close(); // last: the relays above give their origin claims back through it
        log.info("meshlive stopped");
    }
}
