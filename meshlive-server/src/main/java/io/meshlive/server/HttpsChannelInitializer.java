package io.meshlive.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;

/**
 * The pipeline of an accepted connection on the TLS port: TLS, then HTTP/2 or HTTP/1.1 as ALPN
 * settled it (HTTP/1.1 for a client that offers neither).
 */
final class HttpsChannelInitializer extends ChannelInitializer<Channel> {
    private final SslContext tls;
    private final HttpPipelines pipelines;

    HttpsChannelInitializer(SslContext tls, HttpPipelines pipelines) {
        this.tls = tls;
        this.pipelines = pipelines;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast(pipelines.guard(false), tls.newHandler(ch.alloc()), new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
            @Override
            protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                    pipelines.addHttp2After(ctx.pipeline(), ctx.name());
                } else if (ApplicationProtocolNames.HTTP_1_1.equals(protocol)) {
                    pipelines.addHttp1After(ctx.pipeline(), ctx.name());
                    ctx.pipeline().addAfter(ctx.name(), null, new HttpServerCodec());
                } else {
                    throw new IllegalStateException("ALPN settled on a protocol we did not offer: " + protocol);
                }
            }
        });
    }
}
