package io.meshlive.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.meshlive.core.HubSettings;
import io.meshlive.rtmp.RtmpSettings;
import io.meshlive.server.config.ConfigException;
import io.meshlive.server.config.TranscodeConfig;

import static io.meshlive.server.config.ConfigChecks.atLeast;
import static io.meshlive.server.config.ConfigChecks.atMost;
import static io.meshlive.server.config.ConfigChecks.port;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The whole configuration of a node, as read from YAML. Every field has a default that serves the
 * embedded single-node case, so an empty file (or none) is a working configuration.
 */
public final class ServerConfig {
    /** Address every listener binds to. */
    public String bind = "0.0.0.0";
    /** I/O threads; 0 means one per available core. */
    public int workers = 0;
    /** I/O transport: auto (native epoll, else NIO), epoll, io_uring or nio; an unavailable one falls back to auto's pick. */
    public String transport = "auto";
    /** Where persistent state (forbids, recordings) lives. */
    public String dataDir = "data";
    public Rtmp rtmp = new Rtmp();
    public Http http = new Http();
    public WebRtc webrtc = new WebRtc();
    public HubConfig hub = new HubConfig();
    public Stats stats = new Stats();
    public Api api = new Api();
    public Hls hls = new Hls();
    /** Timed cues (io.meshlive.server.cue): rate per stream, SEI cues. */
    public io.meshlive.server.cue.CueConfig cues = new io.meshlive.server.cue.CueConfig();
    public Hooks webhooks = new Hooks();
    public SnapshotConfig snapshot = new SnapshotConfig();
    /** Video ladders per app (io.meshlive.server.config.TranscodeConfig). */
    public TranscodeConfig transcode = new TranscodeConfig();
    /** Recordings: where, how, and which apps record every publish (io.meshlive.server.record). */
    public io.meshlive.server.record.RecordConfig record = new io.meshlive.server.record.RecordConfig();
    /** The cluster: without cluster.store this node is a complete single node (io.meshlive.cluster.ClusterConfig). */
    public io.meshlive.cluster.ClusterConfig cluster = new io.meshlive.cluster.ClusterConfig();
    /** Static relays: pulls from and pushes to other servers' URLs (io.meshlive.cluster.staticrelay.RelaysConfig). */
    public io.meshlive.cluster.staticrelay.RelaysConfig relays = new io.meshlive.cluster.staticrelay.RelaysConfig();
    /** Signed URLs per app: {@code live: {secret: ..., publish: true, play: true, bindIp: false}}. */
    public java.util.Map<String, Signing> signing = new java.util.LinkedHashMap<>();
    /** Which apps may be published to at all. */
    public Publish publish = new Publish();
    public Metrics metrics = new Metrics();

    public static final class Publish {
        /** App names that accept publishers (RTMP, WHIP); {@code "*"} = every app. */
        public List<String> allow = new ArrayList<>(List.of("*"));
    }

    public static final class Metrics {
        /** true: /metrics answers anyone; false: only whom the API answers (api.token, or loopback without one). */
        @com.fasterxml.jackson.annotation.JsonProperty("public")
        public boolean open = true;
    }

    public static final class Rtmp {
        public int port = 1935;
        public int maxMessageSize = 8 * 1024 * 1024;
        /** Bytes all connections' incomplete messages may hold together; past it the connection adding more is closed. */
        public long partialMessageBudget = 256L * 1024 * 1024;
        public int handshakeTimeoutMs = 5000;
        public int idleTimeoutMs = 10_000;
    }

    public static final class Http {
        /** Carries HTTP-FLV, WebSocket-FLV, HLS and the API; HTTP/1.1 and h2c. */
        public int port = 8080;
        public Tls tls = new Tls();
        public Cors cors = new Cors();
        /** A connection must send a request's complete headers this soon after opening (or after its first byte). */
        public int headerTimeoutMs = 10_000;
        /** A connection with no request under way and nothing read or written this long is closed. */
        public int idleTimeoutMs = 60_000;
        /** Open HTTP connections (plain and TLS together); more are refused at once. */
        public int maxConnections = 10_000;
        /** Open HTTP connections from one client address. */
        public int maxConnectionsPerAddress = 256;
    }

    /** Which web pages may read responses from another origin (CORS), for cross-origin players. */
    public static final class Cors {
        /** {@code *} (any page), or origins such as https://shop.example.com; an empty list allows none. */
        public List<String> allowedOrigins = new ArrayList<>(List.of("*"));
    }

    /** The same HTTP service over TLS, HTTP/2 or HTTP/1.1 by ALPN; on when a certificate is named. */
    public static final class Tls {
        public int port = 8443;
        /** PEM certificate chain. */
        public String certFile = "";
        /** PEM private key (PKCS#8, unencrypted). */
        public String keyFile = "";
    }

    public static final class WebRtc {
        /** UDP port for every WebRTC session (ICE-lite), and the ICE-TCP port. */
        public int port = 8000;
        /** Addresses put in SDP answers as host candidates; empty = this machine's addresses. Behind NAT, list the public one. */
        public List<String> candidates = new ArrayList<>();
        /** Also accept ICE over TCP (RFC 6544) on the same port number, for viewers whose UDP is blocked. */
        public boolean iceTcp = true;
        /** A peer that sends no STUN consent check for this long is closed. */
        public int consentTimeoutMs = 15_000;
        /** A session whose ICE and DTLS are not done this long after its offer is closed. */
        public int handshakeTimeoutMs = 10_000;
        /**
         * WHEP viewers the node plays to itself at start, in the background, over loopback UDP
         * (the offer, STUN, DTLS, a live stream's media), so the JIT has compiled a join's and a
         * viewer's code before a surge of viewers joins; a stream and viewers nobody else sees.
         * About 20 s of one core; {@code GET /api/v1/ready} answers 200 once done. 0: none.
         */
        public int warmUpJoins = 1000;
        /**
         * DTLS handshakes in progress at once, each holding a thread (BouncyCastle's DTLS blocks,
         * also while it waits for the viewer); more wait in line for one, their deadline running.
         * Of these, 16 per core compute at once, the earliest deadline first.
         */
        public int maxHandshakes = 256;
    }

    public static final class HubConfig {
        public int latencyBudgetMs = 2000;
        public int stallTimeoutMs = 20_000;
        public int gopCacheMaxFrames = 1500;
        public boolean takeover = false;
        public int publisherGoneTimeoutMs = 10_000;
        /**
         * Unsent bytes a viewer's socket may hold in the kernel (TCP_NOTSENT_LOWAT, Linux). Bytes
         * past this wait in our queue, where the latency budget sees them; a larger kernel buffer
         * would hide seconds of backlog from it. In-flight (sent, unacknowledged) data is not capped.
         * 0 leaves the kernel's default.
         */
        public int socketUnsentBytes = 128 * 1024;
    }

    public static final class Stats {
        /** How often each live stream's figures (rates, latency percentiles) are logged; 0 turns it off. */
        public int logIntervalSeconds = 10;
    }

    /** HLS (MPEG-TS) and LL-HLS (CMAF), packaged in memory once per stream. */
    public static final class Hls {
        public int segmentMs = 2000;
        public int llSegmentMs = 1000;
        public int partDurationMs = 200;
        /** PART-HOLD-BACK in parts: 3 (the spec's minimum) for the lowest latency, more for busy networks. */
        public int partHoldBackParts = 3;
        public int windowSegments = 12;
        public int blockingTimeoutMs = 3000;
        /** A stream's packager stops this long after the last HLS request. */
        public int idleMs = 30_000;
        /**
         * true: package a stream for HLS from its first HLS request; false: from its publish, so the
         * first player's playlist already holds a full window (costs memory and CPU for every stream).
         */
        public boolean onDemand = true;
    }

    /** Webhooks: on_publish/on_play may deny; on_unpublish/on_stop are notified with retries. */
    public static final class Hooks {
        /** Where events are POSTed; empty turns webhooks off. */
        public String url = "";
        /** HMAC-SHA256 key for the X-Meshlive-Signature header; required with a url. */
        public String secret = "";
        /** How long a publish or play waits for on_publish / on_play. */
        public int timeoutMs = 2000;
        /** Let the publish or play go ahead when the hook times out or answers garbage. */
        public boolean failOpen = false;
        public int retries = 3;
        public int firstRetryDelayMs = 500;
    }

    /** Pictures of live streams: on request at /api/v1/streams/{app}/{stream}/snapshot.jpg, and saved every interval for the apps enabled. */
    public static final class SnapshotConfig {
        /** JPEG quality, 1 (smallest) to 100 (best). */
        public int quality = 80;
        /** How often the enabled apps' streams are saved to {@code <dataDir>/snapshots/{app}/{stream}/}. */
        public int intervalSeconds = 10;
        /** Saved pictures kept per stream; the oldest go first. */
        public int keep = 360;
        /** Width of saved pictures, keeping the aspect ratio; 0 = the stream's own size. */
        public int width = 0;
        /** Apps whose streams are saved: {@code live: {enabled: true}}. */
        public java.util.Map<String, SnapshotApp> apps = new java.util.LinkedHashMap<>();
    }

    public static final class SnapshotApp {
        public boolean enabled = false;
    }

    public static final class Api {
        /** Bearer token for /api/v1; empty means the API answers loopback clients only. */
        public String token = "";
    }

    /** Signed URLs for one app: {@code ?expires=<unix seconds>&sign=<hex HMAC-SHA256(secret, path + expires)>}. */
    public static final class Signing {
        public String secret = "";
        /** Require a signature to publish. */
        public boolean publish = true;
        /** Require a signature to play. */
        public boolean play = true;
        /** Sign {@code path + expires + clientIp}, so a URL works from one address only. */
        public boolean bindIp = false;
    }

    private static ObjectMapper yaml() {
        return new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    /** Reads a YAML file; a missing key keeps its default, an unknown key or bad value is an error naming its path. */
    public static ServerConfig load(Path file) throws ConfigException {
        try {
            ObjectMapper mapper = yaml();
            JsonNode tree = mapper.readTree(file.toFile());
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return new ServerConfig(); // an empty or comments-only file: all defaults
            }
            ServerConfig c = mapper.treeToValue(tree, ServerConfig.class);
            c.validate(file.toString());
            return c;
        } catch (JsonMappingException e) {
            // a.b[1].c, as validate() names list items.
            String path = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining()).replaceFirst("^\\.", "");
            String what = e instanceof UnrecognizedPropertyException u
                    ? "unknown key; allowed here: " + u.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                            .collect(Collectors.joining(", "))
                    : e.getOriginalMessage();
            throw new ConfigException(file + ": " + (path.isEmpty() ? "" : "'" + path + "': ") + what);
        } catch (IOException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
    }

    /** The transport asked for (validated). */
    io.meshlive.core.Transport.Kind transportKind() {
        return io.meshlive.core.Transport.Kind.parse(transport);
    }

    /** Checks values Jackson cannot: ranges and required companions. The message names the key and what is allowed. */
    public void validate(String source) throws ConfigException {
        port(source, "rtmp.port", rtmp.port);
        port(source, "http.port", http.port);
        port(source, "http.tls.port", http.tls.port);
        for (String origin : http.cors.allowedOrigins) {
            String problem = CrossOrigin.Policy.problem(origin);
            if (problem != null) {
                throw new ConfigException(source + ": 'http.cors.allowedOrigins': " + problem);
            }
        }
        if (HttpTls.configured(http.tls)) {
            HttpTls.context(http.tls, source);
        }
        atLeast(source, "http.headerTimeoutMs", http.headerTimeoutMs, 100);
        atLeast(source, "http.idleTimeoutMs", http.idleTimeoutMs, 100);
        atLeast(source, "http.maxConnections", http.maxConnections, 1);
        atLeast(source, "http.maxConnectionsPerAddress", http.maxConnectionsPerAddress, 1);
        port(source, "webrtc.port", webrtc.port);
        atLeast(source, "workers", workers, 0);
        if (io.meshlive.core.Transport.Kind.parse(transport) == null) {
            throw new ConfigException(source + ": 'transport': must be auto, epoll, io_uring or nio, got \"" + transport + "\"");
        }
        atLeast(source, "rtmp.maxMessageSize", rtmp.maxMessageSize, 1024);
        if (rtmp.partialMessageBudget < rtmp.maxMessageSize) {
            throw new ConfigException(source + ": 'rtmp.partialMessageBudget': must be at least rtmp.maxMessageSize ("
                    + rtmp.maxMessageSize + "), got " + rtmp.partialMessageBudget);
        }
        atLeast(source, "rtmp.handshakeTimeoutMs", rtmp.handshakeTimeoutMs, 1);
        atLeast(source, "rtmp.idleTimeoutMs", rtmp.idleTimeoutMs, 1);
        atLeast(source, "hub.latencyBudgetMs", hub.latencyBudgetMs, 1);
        atLeast(source, "hub.stallTimeoutMs", hub.stallTimeoutMs, 1);
        atLeast(source, "hub.gopCacheMaxFrames", hub.gopCacheMaxFrames, 1);
        atLeast(source, "cues.maxPerSecond", cues.maxPerSecond, 1);
        if (!cues.seiUuid.isEmpty() && !cues.seiUuid.matches("[0-9a-fA-F]{32}|[0-9a-fA-F-]{36}")) {
            throw new ConfigException(source + ": cues.seiUuid must be 32 hex digits (dashes allowed), got \"" + cues.seiUuid + "\"");
        }
        atLeast(source, "hub.publisherGoneTimeoutMs", hub.publisherGoneTimeoutMs, 1);
        atLeast(source, "hub.socketUnsentBytes", hub.socketUnsentBytes, 0);
        atLeast(source, "stats.logIntervalSeconds", stats.logIntervalSeconds, 0);
        atLeast(source, "hls.segmentMs", hls.segmentMs, 100);
        atLeast(source, "hls.llSegmentMs", hls.llSegmentMs, 100);
        atLeast(source, "hls.partDurationMs", hls.partDurationMs, 20);
        atLeast(source, "hls.partHoldBackParts", hls.partHoldBackParts, 3);
        atLeast(source, "hls.windowSegments", hls.windowSegments, 3);
        atLeast(source, "hls.blockingTimeoutMs", hls.blockingTimeoutMs, 100);
        atLeast(source, "hls.idleMs", hls.idleMs, 1000);
        atLeast(source, "webrtc.consentTimeoutMs", webrtc.consentTimeoutMs, 1000);
        atLeast(source, "webrtc.handshakeTimeoutMs", webrtc.handshakeTimeoutMs, 500);
        atLeast(source, "webrtc.warmUpJoins", webrtc.warmUpJoins, 0);
        atLeast(source, "webrtc.maxHandshakes", webrtc.maxHandshakes, 1);
        for (String c : webrtc.candidates) {
            if (c.isBlank() || c.contains(" ")) {
                throw new ConfigException(source + ": 'webrtc.candidates': '" + c + "' is not an address");
            }
        }
        atLeast(source, "webhooks.timeoutMs", webhooks.timeoutMs, 1);
        atLeast(source, "webhooks.retries", webhooks.retries, 0);
        atLeast(source, "webhooks.firstRetryDelayMs", webhooks.firstRetryDelayMs, 1);
        if (!webhooks.url.isEmpty() && !(webhooks.url.startsWith("http://") || webhooks.url.startsWith("https://"))) {
            throw new ConfigException(source + ": 'webhooks.url': must start with http:// or https://, got '" + webhooks.url + "'");
        }
        if (!webhooks.url.isEmpty() && webhooks.secret.isEmpty()) {
            throw new ConfigException(source + ": 'webhooks.secret': required with webhooks.url (requests are signed with it)");
        }
        atLeast(source, "snapshot.quality", snapshot.quality, 1);
        atMost(source, "snapshot.quality", snapshot.quality, 100);
        atLeast(source, "snapshot.intervalSeconds", snapshot.intervalSeconds, 1);
        atLeast(source, "snapshot.keep", snapshot.keep, 1);
        if (snapshot.width != 0) {
            atLeast(source, "snapshot.width", snapshot.width, io.meshlive.transcode.snapshot.SnapshotMaker.MIN_WIDTH);
        }
        transcode.validate(source);
        record.validate(source);
        String clusterProblem = cluster.validate();
        if (clusterProblem != null) {
            throw new ConfigException(source + ": " + clusterProblem);
        }
        String relaysProblem = relays.validate();
        if (relaysProblem != null) {
            throw new ConfigException(source + ": " + relaysProblem);
        }
        for (String app : publish.allow) {
            if (!app.equals("*")) {
                appName(source, "publish.allow", app);
            }
        }
        for (var e : signing.entrySet()) {
            appName(source, "signing." + e.getKey(), e.getKey());
            if (e.getValue().secret.isEmpty()) {
                throw new ConfigException(source + ": 'signing." + e.getKey() + ".secret': required, or remove the app from signing");
            }
        }
    }

    /** App names in the configuration follow the name rule, in lower case (clients' app names are folded to it). */
    private static void appName(String source, String key, String app) throws ConfigException {
        try {
            io.meshlive.core.StreamKey.checkName("app", app);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": '" + key + "': " + e.getMessage());
        }
        if (!app.equals(app.toLowerCase(java.util.Locale.ROOT))) {
            throw new ConfigException(source + ": '" + key + "': write app names in lower case ('"
                    + app.toLowerCase(java.util.Locale.ROOT) + "'): clients' app names are compared in lower case");
        }
    }

    public String toYaml() {
        try {
            return yaml().writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The video ladders by app, as the transcoder takes them. */
    public java.util.Map<String, io.meshlive.transcode.video.LadderSpec> ladders() {
        return transcode.ladders();
    }

    public io.meshlive.webrtc.WebRtcSettings webRtcSettings() {
        return new io.meshlive.webrtc.WebRtcSettings(webrtc.port, webrtc.candidates, webrtc.iceTcp,
                webrtc.consentTimeoutMs, webrtc.handshakeTimeoutMs, webrtc.warmUpJoins, webrtc.maxHandshakes);
    }

    public io.meshlive.hls.HlsSettings hlsSettings() {
        return new io.meshlive.hls.HlsSettings(hls.segmentMs, hls.llSegmentMs, hls.partDurationMs, hls.partHoldBackParts,
                hls.windowSegments, hls.blockingTimeoutMs, hls.idleMs, hls.onDemand);
    }

    HubSettings hubSettings() {
        return new HubSettings(hub.latencyBudgetMs, hub.stallTimeoutMs, hub.gopCacheMaxFrames, hub.takeover,
                hub.publisherGoneTimeoutMs);
    }

    RtmpSettings rtmpSettings() {
        return new RtmpSettings(rtmp.maxMessageSize, rtmp.handshakeTimeoutMs, rtmp.idleTimeoutMs, rtmp.partialMessageBudget);
    }
}
