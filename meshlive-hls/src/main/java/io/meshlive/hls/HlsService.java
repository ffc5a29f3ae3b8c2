package io.meshlive.hls;

import io.meshlive.core.AccessRequest;
import io.meshlive.core.ClientText;
import io.meshlive.core.Hub;
import io.meshlive.core.StreamKey;
import io.meshlive.hls.serve.BlockingReloads;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringEncoder;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.meshlive.hls.HlsResponder.error;
import static io.meshlive.hls.HlsResponder.respond;

/**
 * The HLS entry point: matches HLS paths, admits players and keeps their sessions ({@link HlsSessions}),
 * then lets {@link HlsResponder} answer from the in-memory packagers ({@link HlsPackagers}):
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
public final class HlsService {
    private static final Logger log = LoggerFactory.getLogger(HlsService.class);
    private static final Pattern PATH = Pattern.compile(
            "/([^/]+)/([^/]+?)(?:(_master\\.m3u8|\\.m3u8)|/(master\\.m3u8|index\\.m3u8|init\\.mp4|seg-(\\d+)\\.(ts|m4s)|part-(\\d+)\\.(\\d+)\\.m4s))");

    private final Hub hub;
    private final HlsPackagers packagers;
    private final HlsResponder responder;
    private final HlsSessions sessions;
    private final ScheduledFuture<?> sweeper;

    public HlsService(Hub hub, HlsSettings settings) {
        this(hub, settings, Variants.NONE);
    }

    /** @param variants a stream's ABR renditions, listed with it in its master playlists */
    public HlsService(Hub hub, HlsSettings settings, Variants variants) {
        this.hub = hub;
        this.packagers = new HlsPackagers(hub, settings);
        this.responder = new HlsResponder(hub, settings, variants, packagers);
        this.sessions = new HlsSessions(hub);
        this.sweeper = hub.workers().loop(0).scheduleAtFixedRate(() -> sessions.sweep(System.nanoTime()), 5, 5, TimeUnit.SECONDS);
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
            respond(ctx, keepAlive, responder.master(key, classicMaster));
            return;
        }
        HlsResponder.Resource resource;
        try {
            resource = resource(m);
        } catch (NumberFormatException e) {
            respond(ctx, keepAlive, error(HttpResponseStatus.BAD_REQUEST, "segment or part number out of range in " + ClientText.quote(path)));
            return;
        }
        Flavour flavour = "classic.m3u8".equals(resource.file()) || "ts".equals(m.group(6)) ? Flavour.TS : Flavour.CMAF;
        String token = query.get(HlsSessions.TOKEN_PARAM);
        if (token != null && sessions.kicked(token)) {
            respond(ctx, keepAlive, error(HttpResponseStatus.FORBIDDEN, "this session was kicked from " + key));
            return;
        }
        String ip = AccessRequest.ipOf(ctx.channel().remoteAddress());
        HlsSessions.HlsSession session = sessions.find(token, key, flavour, ip);
        if (session != null) {
            HlsPackager packager = packagers.get(key, flavour);
            if (packager != null) {
                responder.answerOnPackagerLoop(new HlsResponder.Client(ctx, keepAlive, session), packager, resource, query);
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
            HlsPackager packager = packagers.getOrPull(key, flavour);
            if (packager == null) {
                respond(ctx, keepAlive, error(HttpResponseStatus.NOT_FOUND, "stream " + key + " is not live"));
                return;
            }
            boolean playlist = resource.file() != null && resource.file().endsWith(".m3u8");
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
            responder.answerOnPackagerLoop(new HlsResponder.Client(ctx, keepAlive, resumed), packager, resource, query);
        });
    }

    /** What a matched path other than a master playlist names. */
    private static HlsResponder.Resource resource(Matcher m) {
        if (m.group(3) != null) {
            return new HlsResponder.Resource("classic.m3u8", -1, -1);
        }
        if (m.group(5) != null) {
            return new HlsResponder.Resource(null, Long.parseLong(m.group(5)), -1);
        }
        if (m.group(7) != null) {
            return new HlsResponder.Resource(null, Long.parseLong(m.group(7)), Integer.parseInt(m.group(8)));
        }
        return new HlsResponder.Resource(m.group(4), -1, -1);
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

    /** Stops every packager (shutdown). */
    public void close() {
        sweeper.cancel(false);
        packagers.close();
    }
}
