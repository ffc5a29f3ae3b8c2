package io.meshlive.bench.play;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;

/**
 * First in a player's pipeline: counts every byte it reads, headers included. On a TCP connection
 * it also marks the player connected; a WHEP player's UDP socket is up long before its media, so
 * that player is connected by its session once DTLS is done.
 */
final class ReceiveCounter extends ChannelInboundHandlerAdapter {
    private final Player player;
    private final boolean activeMeansConnected;

    /** For a TCP connection. */
    ReceiveCounter(Player player) {
        this(player, true);
    }

    private ReceiveCounter(Player player, boolean activeMeansConnected) {
        this.player = player;
        this.activeMeansConnected = activeMeansConnected;
    }

    /** For a WHEP player's UDP socket: counts datagram payloads (STUN, DTLS and SRTP alike). */
    static ReceiveCounter ofDatagrams(Player player) {
        return new ReceiveCounter(player, false);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (activeMeansConnected) {
            player.connected();
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        player.received(msg instanceof DatagramPacket d ? d.content().readableBytes() : ((ByteBuf) msg).readableBytes());
        ctx.fireChannelRead(msg);
    }
}
