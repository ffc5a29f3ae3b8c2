package io.meshlive.rtmp.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.io.IOException;

/**
 * A connection's last handler, which knows why the connection ended: the first reason given to
 * {@link #close} or the error that closed it, else that the server closed it. Told once, when it ends.
 */
public abstract class WhyClosedHandler extends ChannelInboundHandlerAdapter {
    private String reason;

    /** Closes the connection for {@code why}, unless it is already closing for another reason. */
    protected final void close(ChannelHandlerContext ctx, String why) {
        if (reason == null) {
            reason = why;
        }
        ctx.close();
    }

    /** Closes {@code channel} for {@code why} through its WhyClosedHandler, if it has one; on the channel's loop. */
    public static void close(io.netty.channel.Channel channel, String why) {
        ChannelHandlerContext ctx = channel.pipeline().context(WhyClosedHandler.class);
        if (ctx != null) {
            ((WhyClosedHandler) ctx.handler()).close(ctx, why);
        } else {
            channel.close();
        }
    }

    /** The connection is closed; {@code reason} says why. */
    protected abstract void ended(String reason);

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        close(ctx, describe(cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        ended(reason != null ? reason : "closed by the server");
        super.channelInactive(ctx);
    }

    public static String describe(Throwable cause) {
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return cause instanceof IOException ? "I/O error: " + message : message;
    }
}
