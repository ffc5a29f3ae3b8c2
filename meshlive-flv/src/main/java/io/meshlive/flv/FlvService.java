package io.meshlive.flv;

import io.meshlive.core.AccessRequest;
import io.meshlive.core.Admission;
import io.meshlive.core.ChannelViewer;
import io.meshlive.core.Hub;
import io.meshlive.core.StreamKey;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The FLV module's entry point: turns an HTTP request for {@code /app/stream.flv} into an FLV
 * viewer: a chunked HTTP/1.1 response, one FLV tag per DATA frame on an HTTP/2 stream, or, when
 * the request asks for an Upgrade, a WebSocket carrying one FLV tag per message. After the
 * response head the HTTP handlers leave the pipeline, so media bytes go out untouched.
 */
public final class FlvService {
    private static final Logger log = LoggerFactory.getLogger(FlvService.class);
    private final Hub hub;

    public FlvService(Hub hub) {
        this.hub = hub;
    }

    /** Whether the path names an FLV stream (then {@link #serve} answers a GET or HEAD for it). */
    public static boolean handles(String path) {
        return path.endsWith(".flv");
    }

    /**
     * Serves the request on {@code ctx}'s channel once the node's admission checks allow it, or
     * answers 403 with the reason. The caller keeps its reference to {@code request}.
     */
    public void serve(ChannelHandlerContext ctx, FullHttpRequest request, StreamKey key, Map<String, String> query) {
        boolean webSocket = request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
        String protocol = webSocket ? "ws-flv" : "http-flv";
        AccessRequest access = new AccessRequest(AccessRequest.Action.PLAY, protocol, key, query,
                AccessRequest.ipOf(ctx.channel().remoteAddress()));
        request.retain();
        hub.admission().checkOn(ctx.executor(), access, verdict -> {
            try {
                if (!ctx.channel().isActive()) {
                    return;
                }
                if (!verdict.allowed()) {
                    refuse(ctx, protocol, verdict);
                } else if (webSocket) {
                    serveWebSocket(ctx, request, key);
                } else if (request.method().equals(HttpMethod.HEAD)) {
                    answerHead(ctx, HttpUtil.isKeepAlive(request)); // a player's probe: what a GET would start with
                } else {
                    serveHttp(ctx, key);
                }
            } finally {
                request.release();
            }
        });
    }

    private void refuse(ChannelHandlerContext ctx, String protocol, Admission.Verdict verdict) {
        hub.refusals().record(protocol, AccessRequest.Action.PLAY, verdict.kind());
        log.info("{} {} refused: {}", protocol, ctx.channel().remoteAddress(), verdict.reason());
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FORBIDDEN,
                Unpooled.copiedBuffer(verdict.reason() + "\n", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes())
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    /** The head a GET would get, and no viewer: a HEAD answer has no body. */
    private static void answerHead(ChannelHandlerContext ctx, boolean keepAlive) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "video/x-flv")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        HttpUtil.setKeepAlive(r, keepAlive);
        var f = ctx.writeAndFlush(r);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void serveHttp(ChannelHandlerContext ctx, StreamKey key) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "video/x-flv")
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        ctx.write(response);
        ChannelPipeline p = ctx.pipeline();
        // The response head is encoded; from here on we write pre-framed chunks ourselves.
        for (String name : p.names()) {
            ChannelHandler h = p.get(name);
            if (h != null && h != ctx.handler() && h.getClass().getName().startsWith("io.netty.handler.codec.http")) {
                p.remove(h);
            }
        }
        p.replace(ctx.handler(), "flv-drain", new DiscardInbound());
        // On an HTTP/2 stream each bare tag, encoded once per stream, is one DATA frame's content.
        boolean http2 = ctx.channel() instanceof Http2StreamChannel;
        FlvEgressFormat format = http2 ? FlvEgressFormat.HTTP2 : FlvEgressFormat.HTTP_CHUNKED;
        if (http2) {
            p.addFirst("flv-http2-data", new BuffersToHttp2Data());
        }
        ctx.channel().writeAndFlush(format.fileHeader(ctx.alloc())); // the head goes out even before the stream is live
        new ChannelViewer("http-flv", ctx.channel(), hub, key, format).start();
    }

    private void serveWebSocket(ChannelHandlerContext ctx, FullHttpRequest request, StreamKey key) {
        String url = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, null, false, 64 * 1024)
                .newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        ChannelPipeline p = ctx.pipeline();
        p.replace(ctx.handler(), "ws-flv", new WebSocketControl(handshaker));
        handshaker.handshake(ctx.channel(), request).addListener(f -> {
            if (f.isSuccess()) {
                ctx.channel().writeAndFlush(FlvEgressFormat.WEBSOCKET.fileHeader(ctx.alloc()));
                new ChannelViewer("ws-flv", ctx.channel(), hub, key, FlvEgressFormat.WEBSOCKET).start();
            }
        });
    }

    /** An HTTP-FLV client has nothing to say after its request; whatever it sends is dropped. */
    private static final class DiscardInbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // the viewer logs its end when the channel closes
        }
    }

    /** Answers pings and closes on a close frame; a WS-FLV client sends nothing else that matters. */
    private static final class WebSocketControl extends ChannelInboundHandlerAdapter {
        private final WebSocketServerHandshaker handshaker;

        WebSocketControl(WebSocketServerHandshaker handshaker) {
            this.handshaker = handshaker;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof CloseWebSocketFrame close) {
                handshaker.close(ctx.channel(), close);
            } else if (msg instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content()));
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
