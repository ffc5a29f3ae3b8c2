package io.meshlive.webrtc;

import io.meshlive.core.AccessRequest;
import io.meshlive.core.Hub;
import io.meshlive.core.StreamKey;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The WHEP and WHIP HTTP resources: {@code POST /{app}/{stream}/whep} (play) and {@code .../whip}
 * (publish) take an SDP offer and answer {@code 201 Created} with the SDP answer and the
 * session's URL in {@code Location}; {@code DELETE} on that URL ends the session. Every offer
 * goes through the node's admission (forbid list, signed URL, webhook) first. The HTTP side of
 * {@link WebRtcService}, which makes it ({@link WebRtcService#http()}).
 */
public final class WebRtcHttp {
    private static final Logger log = LoggerFactory.getLogger(WebRtcHttp.class);
    private static final Pattern PATH = Pattern.compile("/([^/]+)/([^/]+)/(whep|whip)(?:/([A-Za-z0-9_-]{1,64}))?");
    private static final String SDP = "application/sdp";
    private static final int MAX_OFFER = 64 * 1024;

    private final Hub hub;
    private final WebRtcService server;

    WebRtcHttp(Hub hub, WebRtcService server) {
        this.hub = hub;
        this.server = server;
    }

    public static boolean handles(String path) {
        return PATH.matcher(path).matches();
    }

    /** Answers the request; the caller keeps its reference to {@code request}. */
    public void serve(ChannelHandlerContext ctx, FullHttpRequest request, String path, Map<String, String> query) {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            reply(ctx, request, HttpResponseStatus.NOT_FOUND, "no such resource: " + path);
            return;
        }
        boolean publish = m.group(3).equals("whip");
        String sessionId = m.group(4);
        HttpMethod method = request.method();
        if (method == HttpMethod.OPTIONS) {
            FullHttpResponse r = response(HttpResponseStatus.NO_CONTENT, null, null);
            r.headers().set("Accept-Post", SDP);
            send(ctx, request, r);
        } else if (sessionId != null && method == HttpMethod.DELETE) {
            boolean ended = server.end(sessionId, "ended by the client (HTTP DELETE)");
            reply(ctx, request, ended ? HttpResponseStatus.OK : HttpResponseStatus.NOT_FOUND,
                    ended ? "session ended" : "no such session");
        } else if (sessionId != null && method == HttpMethod.PATCH) {
            // Our answer lists every candidate we have (ICE-lite), so trickled candidates change nothing.
            reply(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "trickle ICE is not needed: the answer has all candidates");
        } else if (sessionId == null && method == HttpMethod.POST) {
            offer(ctx, request, m, publish, query);
        } else {
            reply(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED,
                    sessionId == null ? "POST an SDP offer here" : "DELETE ends this session");
        }
    }

    private void offer(ChannelHandlerContext ctx, FullHttpRequest request, Matcher m, boolean publish, Map<String, String> query) {
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (!type.toLowerCase().startsWith(SDP)) {
            reply(ctx, request, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "the offer must be Content-Type: application/sdp");
            return;
        }
        if (request.content().readableBytes() > MAX_OFFER) {
            reply(ctx, request, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "an SDP offer over 64 KB is not plausible");
            return;
        }
        StreamKey key;
        try {
            key = new StreamKey(m.group(1), m.group(2));
        } catch (IllegalArgumentException e) {
            reply(ctx, request, HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        String protocol = publish ? "whip" : "whep";
        String offer = request.content().toString(StandardCharsets.UTF_8);
        String ip = AccessRequest.ipOf(ctx.channel().remoteAddress());
        AccessRequest access = new AccessRequest(publish ? AccessRequest.Action.PUBLISH : AccessRequest.Action.PLAY,
                protocol, key, query, ip);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        hub.admission().checkOn(ctx.executor(), access, verdict -> {
            if (!verdict.allowed()) {
                hub.refusals().record(protocol, access.action(), verdict.kind());
                log.info("{} {} {} refused: {}", protocol, ip, key, verdict.reason());
                send(ctx, keepAlive, response(HttpResponseStatus.FORBIDDEN, verdict.reason() + "\n", null));
                return;
            }
            try {
                WebRtcService.Offered offered = publish ? server.whip(key, offer, String.valueOf(ctx.channel().remoteAddress()))
                        : server.whep(key, offer, String.valueOf(ctx.channel().remoteAddress()));
                FullHttpResponse r = response(HttpResponseStatus.CREATED, offered.answerSdp(), SDP);
                r.headers().set(HttpHeaderNames.LOCATION, "/" + key + "/" + protocol + "/" + offered.resourceId())
                        .set(HttpHeaderNames.ETAG, "\"" + offered.resourceId() + "\"");
                send(ctx, keepAlive, r);
            } catch (WebRtcService.Refused e) {
                log.info("{} {} {} offer refused ({}): {}", protocol, ip, key, e.status(), e.getMessage());
                send(ctx, keepAlive, response(HttpResponseStatus.valueOf(e.status()), e.getMessage() + "\n", null));
            }
        });
    }

    private static FullHttpResponse response(HttpResponseStatus status, String body, String contentType) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                body == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType != null ? contentType : "text/plain; charset=utf-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes())
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "POST, DELETE, PATCH, OPTIONS")
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type, Authorization, If-Match")
                .set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "Location, ETag, Accept-Post");
        return r;
    }

    private static void reply(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String message) {
        send(ctx, request, response(status, message + "\n", null));
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse r) {
        send(ctx, HttpUtil.isKeepAlive(request), r);
    }

    private static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse r) {
        HttpUtil.setKeepAlive(r, keepAlive);
        var f = ctx.writeAndFlush(r);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
