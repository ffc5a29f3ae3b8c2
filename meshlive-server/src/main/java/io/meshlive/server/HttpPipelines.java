package io.meshlive.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;

/**
 * The handlers every HTTP request meets, whatever carried it. HTTP/1.1 requests are aggregated and
 * routed on the connection; an HTTP/2 connection gets one child channel per stream, whose
 * pipeline turns the stream's frames into the same request objects and routes them the same way,
 * so HLS, FLV, the API and the console see one kind of request.
 */
final class HttpPipelines {
    private static final int MAX_BODY = 1024 * 1024;
    /**
     * Streams a client may have open at once on one connection. A player fetches a playlist and a
     * few parts in parallel and parks blocking reloads; this leaves room for many players behind
     * one proxy while bounding what one connection can make us hold.
     */
    private static final int MAX_CONCURRENT_STREAMS = 256;

    private final HttpServices services;
    private final HttpConnectionLimits limits;

    HttpPipelines(HttpServices services, HttpConnectionLimits limits) {
        this.services = services;
        this.limits = limits;
    }

    /** The first handler of a new connection: its caps and deadlines. {@code plain}: not the TLS port. */
    HttpConnectionGuard guard(boolean plain) {
        return new HttpConnectionGuard(limits, plain);
    }

    /** The HTTP/1.1 request handlers (after a server codec), added after {@code baseName}. */
    void addHttp1After(ChannelPipeline p, String baseName) {
        p.addAfter(baseName, null, new HttpRouter(services));
        p.addAfter(baseName, null, new CrossOrigin(services.cors()));
        p.addAfter(baseName, null, new HttpObjectAggregator(MAX_BODY));
        p.addAfter(baseName, null, new RequestSpan());
    }

    /** Tells the connection's guard where each HTTP/1.1 request starts (its headers) and ends (its response's last byte). */
    private static final class RequestSpan extends ChannelDuplexHandler {
        private HttpConnectionGuard guard;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            guard = HttpConnectionGuard.of(ctx.channel());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest && guard != null) {
                guard.requestStarted();
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof LastHttpContent && guard != null) {
                guard.requestEnded();
            }
            ctx.write(msg, promise);
        }
    }

    /** The HTTP/2 frame codec of one connection; {@link #streams()} goes after it. */
    Http2FrameCodec frameCodec() {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(MAX_CONCURRENT_STREAMS))
                .build();
    }

    /** One child channel per HTTP/2 stream, each routing its request like an HTTP/1.1 one. */
    Http2MultiplexHandler streams() {
        return new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel stream) {
                HttpConnectionGuard guard = HttpConnectionGuard.of(stream);
                if (guard != null) {
                    guard.streamStarted();
                    stream.closeFuture().addListener(f -> guard.requestEnded());
                }
                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                        new HttpObjectAggregator(MAX_BODY), new CrossOrigin(services.cors()), new HttpRouter(services));
            }
        });
    }

    /** The HTTP/2 connection handlers, added after {@code baseName} (the multiplexer looks for its codec when added). */
    void addHttp2After(ChannelPipeline p, String baseName) {
        Http2FrameCodec codec = frameCodec();
        p.addAfter(baseName, null, codec);
        p.addAfter(p.context(codec).name(), null, streams());
    }

    int maxBody() {
        return MAX_BODY;
    }
}
