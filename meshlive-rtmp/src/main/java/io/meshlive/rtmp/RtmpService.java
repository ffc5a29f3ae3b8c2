package io.meshlive.rtmp;

import io.meshlive.core.Hub;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.TimeUnit;

/**
 * The RTMP module's entry point, what the server binds its RTMP listener with: it builds the
 * pipeline of each accepted connection (handshake, chunk decoder, {@link RtmpConnection}).
 */
public final class RtmpService extends ChannelInitializer<Channel> {
    private final Hub hub;
    private final RtmpSettings settings;
    /** One for the listener: what every connection's incomplete messages take from. */
    private final PartialMessageBudget budget;

    public RtmpService(Hub hub, RtmpSettings settings) {
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
