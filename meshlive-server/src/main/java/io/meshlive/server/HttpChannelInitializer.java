package io.meshlive.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/** The pipeline of an accepted HTTP connection: HTTP/1.1 codec, a bounded aggregator, the router. */
final class HttpChannelInitializer extends ChannelInitializer<Channel> {
    private static final int MAX_BODY = 1024 * 1024;
    private final HttpServices services;

    HttpChannelInitializer(HttpServices services) {
        this.services = services;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY), new HttpRouter(services));
    }
}
