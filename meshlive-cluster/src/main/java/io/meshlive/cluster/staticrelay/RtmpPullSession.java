package io.meshlive.cluster.staticrelay;

import io.meshlive.rtmp.RtmpMediaReader;
import io.meshlive.rtmp.RtmpMessage;
import io.meshlive.rtmp.client.RtmpPlaySession;
import io.meshlive.rtmp.client.RtmpUrl;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;

/** A static pull over RTMP: plays the URL and publishes what arrives, frames as they are. */
final class RtmpPullSession extends RtmpPlaySession {
    private final PullPublisher publisher;
    private final StaticPull relay;
    private final int attempt;
    private final RtmpMediaReader reader = new RtmpMediaReader();

    RtmpPullSession(RtmpUrl url, PullPublisher publisher, StaticPull relay, int attempt) {
        super(url);
        this.publisher = publisher;
        this.relay = relay;
        this.attempt = attempt;
    }

    @Override
    protected void onMedia(RtmpMessage message) {
        publisher.received(message.content().readableBytes());
        reader.read(message, System.nanoTime(), publisher);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        super.channelReadComplete(ctx);
        publisher.endOfBatch();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            close(ctx, "nothing received for " + StaticRelay.READ_IDLE_SECONDS + " s");
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void ended(String reason) {
        publisher.detach(reason);
        relay.ended(attempt, reason);
    }
}
