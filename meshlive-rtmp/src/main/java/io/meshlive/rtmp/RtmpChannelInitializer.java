package io.meshlive.rtmp;

import io.meshlive.core.Hub;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.TimeUnit;

/** The pipeline of an accepted RTMP connection. */
public final class RtmpChannelInitializer extends ChannelInitializer<Channel> {
    private final Hub hub;
    private final RtmpSettings settings;
    /** One for the listener: what every connection's incomplete messages take from. */
    private final PartialMessageBudget budget;

    public RtmpChannelInitializer(Hub hub, RtmpSettings settings) {
        this.hub = hub;
        this.settings = settings;
        this.budget = new PartialMessageBudget(settings.partialMessageBudget());
    }

    @Override
    protected void initChannel(Channel ch) {
        RtmpChunkDecoder decoder = new RtmpChunkDecoder(settings.maxMessageSize(), budget);
        ch.pipeline().addLast(
                new IdleStateHandler(settings.idleTimeoutMillis(), 0, 0, TimeUnit.MILLISECONDS),
                new RtmpServerHandshake(settings.handshakeTimeoutMillis()),
                decoder,
                new RtmpConnection(hub, settings, decoder));
    }
}
