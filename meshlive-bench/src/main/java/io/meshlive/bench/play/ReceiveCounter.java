package io.meshlive.bench.play;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** First in a player's pipeline: marks it connected and counts every byte it reads, headers included. */
final class ReceiveCounter extends ChannelInboundHandlerAdapter {
    private final Player player;

    ReceiveCounter(Player player) {
        this.player = player;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        player.connected();
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        player.received(((ByteBuf) msg).readableBytes());
        ctx.fireChannelRead(msg);
    }
}
