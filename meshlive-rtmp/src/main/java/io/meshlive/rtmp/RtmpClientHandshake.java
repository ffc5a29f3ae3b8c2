package io.meshlive.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Client side of the simple RTMP handshake, for the bench tool and tests: sends C0+C1 when the
 * channel becomes active, answers S1 with C2, then removes itself and fires
 * {@link #COMPLETE} as a user event.
 */
public final class RtmpClientHandshake extends ByteToMessageDecoder {
    public static final Object COMPLETE = "rtmp-handshake-complete";

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ByteBuf c0c1 = ctx.alloc().buffer(1 + HandshakeDigest.PACKET);
        c0c1.writeByte(3);
        c0c1.writeInt((int) (System.currentTimeMillis() / 1000));
        c0c1.writeInt(0);
        byte[] random = new byte[HandshakeDigest.PACKET - 8];
        ThreadLocalRandom.current().nextBytes(random);
        c0c1.writeBytes(random);
        ctx.writeAndFlush(c0c1);
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 1 + 2 * HandshakeDigest.PACKET) {
            return;
        }
        int version = in.readUnsignedByte();
        if (version != 3) {
            throw new RtmpProtocolException("server answered handshake version " + version);
        }
        ByteBuf c2 = in.readRetainedSlice(HandshakeDigest.PACKET); // C2 echoes S1
        in.skipBytes(HandshakeDigest.PACKET);
        ctx.writeAndFlush(c2);
        ctx.pipeline().remove(this);
        ctx.fireUserEventTriggered(COMPLETE);
    }
}
