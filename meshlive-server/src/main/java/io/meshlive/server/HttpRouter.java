package io.meshlive.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlive.core.StreamKey;
import io.meshlive.flv.FlvService;
import io.meshlive.hls.HlsService;
import io.meshlive.webrtc.WebRtcHttp;
import io.meshlive.server.control.ControlApi;
import io.meshlive.server.metrics.NodeMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.LinkedHashMap;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.Map;

/**
 * Routes HTTP requests: FLV playback ({@code /app/stream.flv}, plain or WebSocket), HLS and
 * LL-HLS ({@code /app/stream.m3u8}, {@code /app/stream/index.m3u8}...), WHEP/WHIP ({@code /app/stream/whep}), the API (snapshots by {@link SnapshotEndpoint}), metrics, and the console page ({@code /} and {@code /console/<file>}).
 */
final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONSOLE_PREFIX = "/console/";
    private final ControlApi api;
    private final NodeMetrics metrics;
    private final Executor apiExecutor;
    private final ConsoleAssets console;
    private final FlvService flv;
    private final HlsService hls;
    private final WebRtcHttp webrtc;
    private final SnapshotEndpoint snapshots;
    private final boolean metricsPublic;

    HttpRouter(HttpServices services) {
        this.api = services.api();
        this.metrics = services.metrics();
        this.apiExecutor = services.apiExecutor();
        this.console = services.console();
        this.flv = services.flv();
        this.hls = services.hls();
        this.webrtc = services.webrtc();
        this.snapshots = new SnapshotEndpoint(services.snapshots());
        this.metricsPublic = services.metricsPublic();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) throws Exception {
        if (!req.decoderResult().isSuccess()) {
            HttpUtil.setKeepAlive(req, false); // the decoder reads nothing more on this connection
            reply(ctx, req, ControlApi.Reply.error(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request"));
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.path();
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        Map<String, String> query = new LinkedHashMap<>();
        uri.parameters().forEach((name, values) -> query.put(name, values.get(0)));
        if (ControlApi.handles(path)) {
            ControlApi.Request apiRequest = new ControlApi.Request(req.method(),
                    req.headers().get(HttpHeaderNames.AUTHORIZATION), req.content().toString(StandardCharsets.UTF_8),
                    query, req.headers().get("X-Forwarded-For"));
            SocketAddress remote = ctx.channel().remoteAddress();
            if (SnapshotEndpoint.handles(path)) {
                ControlApi.Reply refused = api.refusal(apiRequest, remote);
                if (refused != null) {
                    reply(ctx, req, refused);
                } else {
                    snapshots.answer(req.method(), path, query).thenAccept(r -> ctx.executor().execute(() -> send(ctx, keepAlive, r)));
                }
                return;
            }
            answerOffLoop(ctx, keepAlive, () -> toResponse(api.handle(apiRequest, path, remote)));
            return;
        }
        if (path.equals("/metrics") && req.method() == HttpMethod.GET) {
            ControlApi.Reply refused = metricsPublic ? null : api.refusal(new ControlApi.Request(req.method(),
                    req.headers().get(HttpHeaderNames.AUTHORIZATION), ""), ctx.channel().remoteAddress());
            if (refused != null) {
                reply(ctx, req, refused);
                return;
            }
            answerOffLoop(ctx, keepAlive, () -> {
                FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.copiedBuffer(metrics.scrape(), StandardCharsets.UTF_8));
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, NodeMetrics.CONTENT_TYPE);
                return r;
            });
            return;
        }
        if (HlsService.handles(path) && (req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD)) {
            hls.serve(ctx, path, query, keepAlive);
            return;
        }
        if (WebRtcHttp.handles(path)) {
            webrtc.serve(ctx, req, path, query);
            return;
        }
        if (FlvService.handles(path) && (req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD)) {
            StreamKey key = streamKey(path.substring(1, path.length() - 4));
            if (key == null) {
                reply(ctx, req, ControlApi.Reply.error(HttpResponseStatus.BAD_REQUEST, "expected /{app}/{stream}.flv with safe names"));
                return;
            }
            flv.serve(ctx, req, key, query);
            return;
        }
        // After .flv, so an app called "console" still plays.
        if (path.equals("/") || path.startsWith(CONSOLE_PREFIX)) {
            serveConsole(ctx, req, path);
            return;
        }
        reply(ctx, req, ControlApi.Reply.error(HttpResponseStatus.NOT_FOUND, "no such resource: " + path));
    }

    /** A console file from memory; any name that is not one of its files (such as one with {@code ..}) is a 404. */
    private void serveConsole(ChannelHandlerContext ctx, FullHttpRequest req, String path) throws Exception {
        String name = path.equals("/") || path.equals(CONSOLE_PREFIX) ? ConsoleAssets.INDEX : path.substring(CONSOLE_PREFIX.length());
        ConsoleAssets.Asset asset = console.get(name);
        if (asset == null) {
            reply(ctx, req, ControlApi.Reply.error(HttpResponseStatus.NOT_FOUND, "no such resource: " + path));
            return;
        }
        if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
            reply(ctx, req, ControlApi.Reply.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use GET"));
            return;
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(asset.bytes()));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, asset.contentType());
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        send(ctx, HttpUtil.isKeepAlive(req), r);
    }

    /**
     * Builds an answer on the API thread and sends it from the connection's loop. Listing a
     * thousand streams, or a metrics scrape, takes tens of milliseconds that the publishers and
     * viewers on this I/O thread must not wait for.
     */
    private void answerOffLoop(ChannelHandlerContext ctx, boolean keepAlive, Callable<FullHttpResponse> work) {
        try {
            apiExecutor.execute(() -> {
                FullHttpResponse r;
                try {
                    r = work.call();
                } catch (Exception e) {
                    ctx.executor().execute(ctx::close);
                    return;
                }
                try {
                    ctx.executor().execute(() -> send(ctx, keepAlive, r));
                } catch (RejectedExecutionException shuttingDown) {
                    r.release(); // the connection's loop is gone; nobody will send it
                }
            });
        } catch (RejectedExecutionException e) {
            ctx.close(); // shutting down
        }
    }

    private static StreamKey streamKey(String path) {
        try {
            return StreamKey.parse(path);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void reply(ChannelHandlerContext ctx, FullHttpRequest req, ControlApi.Reply reply) throws Exception {
        send(ctx, HttpUtil.isKeepAlive(req), toResponse(reply));
    }

    static FullHttpResponse toResponse(ControlApi.Reply reply) throws Exception {
        ByteBuf content = reply.body() == null ? Unpooled.EMPTY_BUFFER
                : Unpooled.wrappedBuffer(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(reply.body()));
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, reply.status(), content);
        if (reply.body() != null) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        }
        return r;
    }

    private static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse r) {
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        HttpUtil.setKeepAlive(r, keepAlive);
        var f = ctx.writeAndFlush(r);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
