package io.meshlive.server;

import io.meshlive.webrtc.WebRtcHttp;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * HEAD, OPTIONS and CORS for every HTTP route, in one place in front of the router. Players probe
 * with HEAD and browsers send a CORS preflight (OPTIONS) whenever a player adds a header of its
 * own (Authorization, a custom one); a cross-origin player then needs the response to name its
 * origin. So: an OPTIONS request is answered here (WHIP/WHEP answer their own, with Accept-Post);
 * the answer to a HEAD request (routed like a GET) goes out without a body, with the length the
 * GET would have; and every response gets the CORS headers of the origin that asked, when that
 * origin is allowed ({@code http.cors.allowedOrigins}: {@code *} or a list of origins).
 *
 * <p>One handler per connection (HTTP/1.1) or per stream (HTTP/2); browsers do not pipeline, so
 * the request being answered is the last one read.
 */
final class CrossOrigin extends ChannelDuplexHandler {
    /** What every route may be asked with; the router refuses what a given route does not do. */
    private static final String METHODS = "GET, HEAD, POST, DELETE, PATCH, OPTIONS";
    /** Response headers a cross-origin script may read: what players and WHIP/WHEP clients look at. */
    private static final String EXPOSED = "Content-Length, Content-Type, Location, ETag, Accept-Post, Link, Date";
    /** How long a browser may cache a preflight answer. */
    private static final String MAX_AGE_SECONDS = "600";

    /** Which origins may read responses: any ({@code *}), or these exactly. */
    record Policy(boolean anyOrigin, Set<String> origins) {
        static Policy of(List<String> allowed) {
            boolean any = allowed.contains("*");
            return new Policy(any, any ? Set.of() : allowed.stream().map(o -> o.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet()));
        }

        /** What goes in Access-Control-Allow-Origin for a request from {@code origin}, or null for none. */
        String allowOrigin(String origin) {
            if (anyOrigin) {
                return "*";
            }
            return origin != null && origins.contains(origin.toLowerCase(Locale.ROOT)) ? origin : null;
        }

        /** Names what is wrong with an entry of http.cors.allowedOrigins, or null. */
        static String problem(String entry) {
            if (entry.equals("*")) {
                return null;
            }
            try {
                URI u = new URI(entry);
                if ((u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")))
                        || u.getHost() == null || !(u.getRawPath() == null || u.getRawPath().isEmpty())) {
                    return "must be * or an origin such as https://shop.example.com[:port] (no path), got '" + entry + "'";
                }
                return null;
            } catch (java.net.URISyntaxException e) {
                return "must be * or an origin such as https://shop.example.com, got '" + entry + "'";
            }
        }
    }

    private final Policy policy;
    private String origin;
    private boolean head;

    CrossOrigin(Policy policy) {
        this.policy = policy;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        origin = req.headers().get(HttpHeaderNames.ORIGIN);
        head = req.method().equals(HttpMethod.HEAD);
        if (req.method().equals(HttpMethod.OPTIONS) && !WebRtcHttp.handles(new QueryStringDecoder(req.uri()).path())) {
            preflight(ctx, req);
            return;
        }
        ctx.fireChannelRead(req);
    }

    private void preflight(ChannelHandlerContext ctx, FullHttpRequest req) {
        try {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT, Unpooled.EMPTY_BUFFER);
            r.headers().set(HttpHeaderNames.ALLOW, METHODS);
            String allowOrigin = policy.allowOrigin(origin);
            if (allowOrigin != null) {
                r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, METHODS)
                        .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS);
                String asked = req.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
                if (asked != null) { // whatever header a player adds (Authorization, its own) may come
                    r.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, asked);
                }
            }
            corsHeaders(r.headers()); // written from here, so it does not pass write() below
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            HttpUtil.setKeepAlive(r, keepAlive);
            var f = ctx.writeAndFlush(r);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        } finally {
            req.release();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse r) {
            if (head && msg instanceof FullHttpResponse full && full.content().isReadable()) {
                // What a GET gets, without its body: the same status and headers, Content-Length included.
                FullHttpResponse bodiless = new DefaultFullHttpResponse(full.protocolVersion(), full.status(),
                        Unpooled.EMPTY_BUFFER, full.headers().copy(), full.trailingHeaders().copy());
                HttpUtil.setContentLength(bodiless, full.content().readableBytes());
                full.release();
                r = bodiless;
                msg = bodiless;
            }
            corsHeaders(r.headers());
        }
        ctx.write(msg, promise);
    }

    private void corsHeaders(HttpHeaders h) {
        String allowOrigin = policy.allowOrigin(origin);
        if (allowOrigin == null) {
            h.remove(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN);
            return;
        }
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowOrigin);
        if (!policy.anyOrigin()) {
            h.add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        }
        h.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
    }
}
