package io.meshlive.server;

import io.meshlive.core.Hub;
import io.meshlive.server.control.ControlApi;
import io.meshlive.server.metrics.NodeMetrics;
import io.netty.channel.Channel;
import java.util.concurrent.Executor;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/** The pipeline of an accepted HTTP connection: HTTP/1.1 codec, a bounded aggregator, the router. */
final class HttpChannelInitializer extends ChannelInitializer<Channel> {
    private static final int MAX_BODY = 1024 * 1024;
    private final Hub hub;
    private final ControlApi api;
    private final NodeMetrics metrics;
    private final Executor apiExecutor;
    private final ConsoleAssets console;

    HttpChannelInitializer(Hub hub, ControlApi api, NodeMetrics metrics, Executor apiExecutor, ConsoleAssets console) {
        this.console = console;
        this.hub = hub;
        this.api = api;
        this.metrics = metrics;
        this.apiExecutor = apiExecutor;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY), new HttpRouter(hub, api, metrics, apiExecutor, console));
    }
}
