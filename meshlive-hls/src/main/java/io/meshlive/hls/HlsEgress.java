package io.meshlive.hls;

import io.meshlive.core.AccessRequest;
import io.meshlive.core.ClientText;
import io.meshlive.core.Hub;
import io.meshlive.core.PublishListener;
import io.meshlive.core.Session;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.StreamStats;
import io.meshlive.hls.playlist.MasterPlaylist;
import io.meshlive.hls.playlist.RenditionReport;
import io.meshlive.media.Codec;
import io.meshlive.hls.serve.BlockingReloads;
import io.meshlive.hls.serve.PartPosition;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringEncoder;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves HLS from the in-memory packagers:
 * <ul>
 *   <li>{@code /app/stream.m3u8} and {@code /app/stream/seg-N.ts}: classic HLS over MPEG-TS;</li>
 *   <li>{@code /app/stream/index.m3u8} ({@code _HLS_msn}, {@code _HLS_part}, {@code _HLS_skip}),
 *       {@code init.mp4}, {@code seg-N.m4s}, {@code part-N.K.m4s}: LL-HLS over CMAF;</li>
 *   <li>{@code /app/stream_master.m3u8} (classic) and {@code /app/stream/master.m3u8} (LL-HLS): master
 *       playlists listing the stream and its ABR renditions ({@link Variants}).</li>
 * </ul>
 * A stream's packager starts with the first request while the stream is live, and stops after
 * {@link HlsSettings#idleMillis()} without requests. Requests for what does not exist yet wait
 * in {@link BlockingReloads} without holding a thread; playlists are never cached, media is
 * immutable.
 */
public final class HlsEgress {
    private static final Logger log = LoggerFactory.getLogger(HlsEgress.class);
    private static final Pattern PATH = Pattern.compile(
            "/([^/]+)/([^/]+?)(?:(_master\\.m3u8|\\.m3u8)|/(master\\.m3u8|index\\.m3u8|init\\.mp4|seg-(\\d+)\\.(ts|m4s)|part-(\\d+)\\.(\\d+)\\.m4s))");
    /** How far past the newest part a request may ask before it is refused rather than parked. */
    private static final int MAX_AHEAD_SEGMENTS = 2;

    private record Key(StreamKey stream, Flavour flavour) {
    }

    private static final byte[] NO_BYTES = new byte[0];

    /** Who asked: where to answer, and the HLS session to count the answer against (null: none). */
    private record Client(ChannelHandlerContext ctx, boolean keepAlive, HlsSessions.HlsSession session) {
        /** What the playlist appends to its URIs so the player's requests carry its token. */
        byte[] uriQuery() {
            return session == null ? NO_BYTES : session.uriQuery();
        }

        /** Whether an answer can still reach the player (it may have gone while its request was parked). */
        boolean listening() {
            return ctx.channel().isActive();
        }

        void send(FullHttpResponse r) {
            if (session != null) {
                session.sent(r.content().readableBytes());
            }
            respond(ctx, keepAlive, r);
        }
    }

    private final Hub hub;
    private final HlsSettings settings;
    private final Variants variants;
    private final ConcurrentHashMap<Key, HlsPackager> packagers = new ConcurrentHashMap<>();
    private final HlsSessions sessions;
    private final ScheduledFuture<?> sweeper;

    public HlsEgress(Hub hub, HlsSettings settings) {
        this(hub, settings, Variants.NONE);
    }

    /** @param variants a stream's ABR renditions, listed with it in its master playlists */
    public HlsEgress(Hub hub, HlsSettings settings, Variants variants) {
        this.hub = hub;
        this.settings = settings;
        this.variants = variants;
        this.sessions = new HlsSessions(hub);
        this.sweeper = hub.workers().loop(0).scheduleAtFixedRate(() -> sessions.sweep(System.nanoTime()), 5, 5, TimeUnit.SECONDS);
        if (!settings.onDemand()) {
            hub.onPublish(new PackageFromPublish());
        }
    }

    /** hls.onDemand false: both flavours are packaged from the moment a stream is published. */
    private final class PackageFromPublish implements PublishListener {
        @Override
        public void published(Stream stream, Session publisher) {
            StreamKey key = stream.key();
            // Called holding the stream's lock: the packagers are started from a loop.
            hub.workers().loop(Math.floorMod(key.hashCode(), hub.workers().size())).execute(() -> {
                for (Flavour flavour : Flavour.values()) {
                    HlsPackager p = packager(key, flavour);
                    if (p != null) {
                        p.touched();
                    }
                }
            });
        }

        @Override
        public void unpublished(Stream stream, Session publisher) {
            // The packagers stay for a publisher that comes back; without one they go when idle.
        }
    }

    /** Whether {@code key} has a publisher now. */
    private boolean published(StreamKey key) {
        Stream live = hub.streams().get(key);
        return live != null && live.publisher() != null;
    }

    /** Whether the path is one of ours (then we answer it). */
    public static boolean handles(String path) {
        return PATH.matcher(path).matches();
    }

    /**
     * Answers an HLS request; called on the connection's loop, answers from the packager's loop.
     * A request carrying the token of a live session is served at once. Any other goes through the
     * node's admission (forbid list, signed URL, webhook) as an HLS play; once admitted, a
     * playlist request without a token is redirected to the same URL with a new session's token,
     * which the playlist then puts on every URI it lists.
     */
    public void serve(ChannelHandlerContext ctx, String path, Map<String, String> query, boolean keepAlive) {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            respond(ctx, keepAlive, error(HttpResponseStatus.NOT_FOUND, "not an HLS resource: " + path));
            return;
        }
        StreamKey key;
        try {
            key = new StreamKey(m.group(1), m.group(2));
        } catch (IllegalArgumentException e) {
            respond(ctx, keepAlive, error(HttpResponseStatus.BAD_REQUEST, e.getMessage()));
            return;
        }
        boolean classicMaster = "_master.m3u8".equals(m.group(3));
        if (classicMaster || "master.m3u8".equals(m.group(4))) {
            // Only names and sizes: each variant playlist it lists is admitted like any play.
            respond(ctx, keepAlive, master(key, classicMaster));
            return;
        }
        String file = m.group(3) != null ? "classic.m3u8" : m.group(4);
        Flavour flavour = file.equals("classic.m3u8") || "ts".equals(m.group(6)) ? Flavour.TS : Flavour.CMAF;
        String token = query.get(HlsSessions.TOKEN_PARAM);
        if (token != null && sessions.kicked(token)) {
            respond(ctx, keepAlive, error(HttpResponseStatus.FORBIDDEN, "this session was kicked from " + key));
            return;
        }
        String ip = AccessRequest.ipOf(ctx.channel().remoteAddress());
        HlsSessions.HlsSession session = sessions.find(token, key, flavour, ip);
        if (session != null) {
            HlsPackager packager = packager(key, flavour);
            if (packager != null) {
                serveOnPackagerLoop(new Client(ctx, keepAlive, session), packager, m, file, query);
                return;
            }
            session.end(); // its stream ended: a player coming back is admitted anew
        }
        String protocol = flavour == Flavour.TS ? "hls" : "ll-hls";
        hub.admission().checkOn(ctx.executor(), new AccessRequest(AccessRequest.Action.PLAY, protocol, key, query, ip), verdict -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            if (!verdict.allowed()) {
                hub.refusals().record(protocol, AccessRequest.Action.PLAY, verdict.kind());
                log.info("{} {} {} refused: {}", protocol, ctx.channel().remoteAddress(), ClientText.quote(path), verdict.reason());
                respond(ctx, keepAlive, error(HttpResponseStatus.FORBIDDEN, verdict.reason()));
                return;
            }
            HlsPackager packager = packager(key, flavour);
            if (packager == null) {
                respond(ctx, keepAlive, error(HttpResponseStatus.NOT_FOUND, "stream " + key + " is not live"));
                return;
            }
            boolean playlist = file.endsWith(".m3u8");
            if (token == null && playlist) {
                HlsSessions.HlsSession fresh = sessions.start(sessions.newToken(), key, flavour, ip, verdict.boundIp());
                respond(ctx, keepAlive, redirect(path, query, fresh.token()));
                return;
            }
            // A player whose session went quiet keeps its token; media asked for by hand has none.
            HlsSessions.HlsSession resumed = token == null ? null : sessions.start(token, key, flavour, ip, verdict.boundIp());
            if (token != null && resumed == null) {
                respond(ctx, keepAlive, error(HttpResponseStatus.FORBIDDEN, "not a session of " + key + ": load the playlist again"));
                return;
            }
            serveOnPackagerLoop(new Client(ctx, keepAlive, resumed), packager, m, file, query);
        });
    }

    private void serveOnPackagerLoop(Client client, HlsPackager packager, Matcher m, String file, Map<String, String> query) {
        packager.eventLoop().execute(() -> {
            packager.touched();
            FullHttpResponse immediate = answer(client, packager, m, file, query);
            if (immediate != null) {
                client.send(immediate);
            }
        });
    }

    /** The same URL with the session's token added (and any old token dropped). */
    private static FullHttpResponse redirect(String path, Map<String, String> query, String token) {
        QueryStringEncoder location = new QueryStringEncoder(path);
        query.forEach((name, value) -> {
            if (!name.equals(HlsSessions.TOKEN_PARAM)) {
                location.addParam(name, value);
            }
        });
        location.addParam(HlsSessions.TOKEN_PARAM, token);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FOUND, Unpooled.EMPTY_BUFFER);
        r.headers().set(HttpHeaderNames.LOCATION, location.toString())
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return r;
    }

    /** On the packager's loop: the response, or null when it was sent already or the request was parked. */
    private FullHttpResponse answer(Client client, HlsPackager p, Matcher m, String file, Map<String, String> query) {
        if (p.closed()) {
            return error(HttpResponseStatus.NOT_FOUND, "the stream ended");
        }
        if (file.equals("classic.m3u8")) {
            return whenReached(client, p, new PartPosition(0, -1), () -> playlist(p, false, client));
        }
        if (file.equals("index.m3u8")) {
            boolean skip = "YES".equals(query.get("_HLS_skip")) || "v2".equals(query.get("_HLS_skip"));
            String msn = query.get("_HLS_msn");
            if (msn == null && query.containsKey("_HLS_part")) {
                return error(HttpResponseStatus.BAD_REQUEST, "_HLS_part needs _HLS_msn");
            }
            if (msn == null) {
                // A first load waits for one whole segment, so players that read only whole
                // segments (ffmpeg, older players) find something to play as well.
                return whenReached(client, p, new PartPosition(0, -1), () -> playlist(p, skip, client));
            }
            PartPosition wanted;
            try {
                wanted = new PartPosition(Long.parseLong(msn), query.containsKey("_HLS_part") ? Integer.parseInt(query.get("_HLS_part")) : -1);
            } catch (NumberFormatException e) {
                return error(HttpResponseStatus.BAD_REQUEST, "_HLS_msn and _HLS_part must be numbers");
            }
            if (wanted.msn() > p.window().newest().msn() + MAX_AHEAD_SEGMENTS) {
                return error(HttpResponseStatus.BAD_REQUEST, "_HLS_msn " + wanted.msn() + " is too far ahead of " + p.window().newest().msn());
            }
            return whenReached(client, p, wanted, () -> playlist(p, skip, client));
        }
        if (file.equals("init.mp4")) {
            return whenReached(client, p, new PartPosition(0, 0), () -> p.init() == null
                    ? error(HttpResponseStatus.NOT_FOUND, "no init segment: the stream's codecs cannot be packaged")
                    : media(p.init(), "video/mp4"));
        }
        if (m.group(5) != null) {
            long seq = Long.parseLong(m.group(5));
            String type = p.flavour() == Flavour.TS ? "video/mp2t" : "video/mp4";
            ByteBuf seg = p.window().segment(seq);
            if (seg != null) {
                return media(seg, type);
            }
            if (seq <= p.window().newest().msn() - 1 || seq > p.window().newest().msn() + MAX_AHEAD_SEGMENTS) {
                return error(HttpResponseStatus.NOT_FOUND, "segment " + seq + " is not in the window");
            }
            return whenReached(client, p, new PartPosition(seq, -1), () -> {
                ByteBuf s = p.window().segment(seq);
                return s == null ? error(HttpResponseStatus.NOT_FOUND, "segment " + seq + " is gone") : media(s, type);
            });
        }
        long seq = Long.parseLong(m.group(7));
        int index = Integer.parseInt(m.group(8));
        ByteBuf part = p.window().part(seq, index);
        if (part != null) {
            return media(part, "video/mp4");
        }
        PartPosition wanted = new PartPosition(seq, index);
        if (wanted.compareTo(p.window().newest()) <= 0 || seq > p.window().newest().msn() + MAX_AHEAD_SEGMENTS) {
            return error(HttpResponseStatus.NOT_FOUND, "part " + seq + "." + index + " is not in the window");
        }
        // A preload hint: answered the moment the part is cut.
        return whenReached(client, p, wanted, () -> {
            ByteBuf b = p.window().part(seq, index);
            return b == null ? error(HttpResponseStatus.NOT_FOUND, "part " + seq + "." + index + " was not produced")
                    : media(b, "video/mp4");
        });
    }

    private interface Answer {
        FullHttpResponse get();
    }

    /** Sends the answer once {@code wanted} exists (at once if it does now); returns null, for {@link #answer}. */
    private FullHttpResponse whenReached(Client client, HlsPackager p, PartPosition wanted, Answer answer) {
        p.reloads().await(wanted, new BlockingReloads.Waiter() {
            @Override
            public void ready() {
                if (client.listening()) {
                    client.send(answer.get());
                }
            }

            @Override
            public void timedOut() {
                if (client.listening()) {
                    client.send(error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                            "not produced within " + settings.blockingTimeoutMillis() + " ms"));
                }
            }
        });
        return null;
    }

    private HlsPackager packager(StreamKey key, Flavour flavour) {
        Key k = new Key(key, flavour);
        HlsPackager existing = packagers.get(k);
        if (existing != null && !existing.closed()) {
            return existing;
        }
        Stream live = hub.streams().get(key);
        if (live == null || live.publisher() == null) {
            return null;
        }
        EventLoop loop = hub.workers().loop(Math.floorMod(k.hashCode(), hub.workers().size()));
        HlsPackager fresh = new HlsPackager(flavour, settings, loop, key);
        HlsPackager won = packagers.compute(k, (kk, old) -> old == null || old.closed() ? fresh : old);
        if (won == fresh) {
            loop.execute(() -> {
                hub.streams().subscribe(key, fresh);
                watchIdle(k, fresh);
            });
        }
        return won;
    }

    private void watchIdle(Key k, HlsPackager p) {
        p.eventLoop().schedule(() -> {
            // Packaged from publish (not on demand): kept while the stream has a publisher.
            if (p.closed() || p.idle(System.nanoTime()) && (settings.onDemand() || !published(k.stream()))) {
                p.close();
                packagers.remove(k, p);
            } else {
                watchIdle(k, p);
            }
        }, Math.max(1000, settings.idleMillis() / 4), TimeUnit.MILLISECONDS);
    }

    private FullHttpResponse playlist(HlsPackager p, boolean skip, Client client) {
        byte[] reports = p.flavour() == Flavour.CMAF
                ? RenditionReport.write(renditionReports(p.key())).getBytes(StandardCharsets.UTF_8) : NO_BYTES;
        ByteBuf text = p.window().playlistBytes(skip, client.uriQuery(), reports);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, text);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/vnd.apple.mpegurl")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return r;
    }

    /**
     * Where each other live stream of {@code key}'s ladder has got. Asking for a report starts (and
     * keeps) that stream's LL-HLS packaging, so a player can switch to it the moment it wants to;
     * a stream with no part yet is left out.
     */
    private List<RenditionReport> renditionReports(StreamKey key) {
        List<RenditionReport> reports = new ArrayList<>();
        for (StreamKey sibling : variants.ladderOf(key)) {
            HlsPackager p = sibling.equals(key) ? null : packager(sibling, Flavour.CMAF);
            if (p == null) {
                continue;
            }
            p.touched();
            PartPosition last = p.lastPart();
            if (last != null) {
                reports.add(new RenditionReport(lowLatencyUri(sibling), last.msn(), last.part()));
            }
        }
        return reports;
    }

    /** A stream's LL-HLS playlist, relative to another stream's playlist or master. */
    private static String lowLatencyUri(StreamKey k) {
        return "../" + k.name() + "/index.m3u8";
    }

    /**
     * The master playlist of {@code source} and its live renditions, from what the hub knows of
     * each stream: size, codecs and measured bit rate. URIs are relative to the master's own URL.
     */
    private FullHttpResponse master(StreamKey source, boolean classic) {
        List<MasterPlaylist.Variant> list = new ArrayList<>();
        List<StreamKey> ladder = variants.ladderOf(source);
        // A rendition's own master lists it alone: its siblings are the source's to list.
        List<StreamKey> keys = !ladder.isEmpty() && ladder.get(0).equals(source) ? ladder : List.of(source);
        for (StreamKey k : keys) {
            Stream s = hub.streams().get(k);
            if (s == null || s.publisher() == null || s.stats().width() == 0) {
                continue;
            }
            StreamStats st = s.stats();
            String codecs = st.videoCodec() == Codec.H264
                    ? MasterPlaylist.avc1(st.videoProfile(), st.videoConstraints(), st.videoLevel()) : "";
            if (st.audioCodec() == Codec.AAC) {
                codecs += (codecs.isEmpty() ? "" : ",") + "mp4a.40.2";
            }
            String uri = classic ? k.name() + ".m3u8" : lowLatencyUri(k);
            list.add(new MasterPlaylist.Variant(Math.max(1, st.bitrateIn()), st.width(), st.height(), codecs, uri));
        }
        if (list.isEmpty()) {
            return error(HttpResponseStatus.NOT_FOUND, "stream " + source + " is not live");
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(MasterPlaylist.write(list), StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/vnd.apple.mpegurl")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return r;
    }

    private static FullHttpResponse media(ByteBuf bytes, String type) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, bytes.retainedDuplicate());
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                .set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=3600, immutable");
        return r;
    }

    private static FullHttpResponse error(HttpResponseStatus status, String why) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(why + "\n", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return r;
    }

    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse r) {
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes())
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        HttpUtil.setKeepAlive(r, keepAlive);
        var f = ctx.writeAndFlush(r);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Stops every packager (shutdown). */
    public void close() {
        sweeper.cancel(false);
        packagers.values().forEach(p -> p.eventLoop().execute(p::close));
        packagers.clear();
    }
}
