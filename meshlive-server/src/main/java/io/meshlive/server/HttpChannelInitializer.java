package io.meshlive.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.util.AsciiString;

/**
 * The pipeline of an accepted connection on the plain HTTP port. It speaks HTTP/1.1, and HTTP/2
 * in clear text (h2c) to a client that opens with the HTTP/2 connection preface (prior
 * knowledge) or asks for it with {@code Upgrade: h2c}; the request that asked is then answered
 * on stream 1.
 */
final class HttpChannelInitializer extends ChannelInitializer<Channel> {
    private final HttpPipelines pipelines;

    HttpChannelInitializer(HttpPipelines pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    protected void initChannel(Channel ch) {
        HttpServerCodec codec = new HttpServerCodec();
        HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(codec, protocol ->
                AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                        ? new Http2ServerUpgradeCodec(pipelines.frameCodec(), pipelines.streams())
                        : null, pipelines.maxBody());
        ch.pipeline().addLast(pipelines.guard(true), new CleartextHttp2ServerUpgradeHandler(codec, upgrade, pipelines.frameCodec()), new ProtocolDecided());
    }

    /**
     * Learns which protocol the connection speaks and puts the matching handlers in its place: the
     * HTTP/1.1 ones at the first HTTP/1.1 request; the HTTP/2 stream multiplexer (after the frame
     * codec the prior-knowledge check put before it) when the client opened with the preface.
     * After an {@code Upgrade: h2c} the upgrade codec has added both HTTP/2 handlers already.
     */
    private final class ProtocolDecided extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpMessage) {
                pipelines.addHttp1After(ctx.pipeline(), ctx.name());
            }
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof CleartextHttp2ServerUpgradeHandler.PriorKnowledgeUpgradeEvent) {
                ctx.pipeline().addBefore(ctx.name(), null, pipelines.streams());
                ctx.pipeline().remove(this);
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
