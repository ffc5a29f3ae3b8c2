package io.meshlive.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * On a listening channel: an accept that fails (most often EMFILE, out of file descriptors) is
 * logged once per interval with how many failed, not as a stack trace each time, and accepting
 * pauses for a moment so a full backlog does not spin the loop. Netty's own acceptor would log
 * each failure with its stack at the tail of the pipeline.
 */
@ChannelHandler.Sharable
final class AcceptFailureLog extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(AcceptFailureLog.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long PAUSE_MS = 1000;

    private final String listener;
    private long failuresSinceLog;
    private long lastLogNanos = System.nanoTime() - LOG_EVERY_NANOS;

    AcceptFailureLog(String listener) {
        this.listener = listener;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        synchronized (this) {
            failuresSinceLog++;
            long now = System.nanoTime();
            if (now - lastLogNanos >= LOG_EVERY_NANOS) {
                log.warn("{}: {} accept(s) failed in the last {} s, the last with: {} (if it says 'Too many open files', "
                                + "raise the fd limit: ulimit -n, or LimitNOFILE in a systemd unit)",
                        listener, failuresSinceLog, TimeUnit.NANOSECONDS.toSeconds(now - lastLogNanos), cause.toString());
                failuresSinceLog = 0;
                lastLogNanos = now;
            }
        }
        var config = ctx.channel().config();
        if (config.isAutoRead()) {
            config.setAutoRead(false);
            ctx.channel().eventLoop().schedule(() -> config.setAutoRead(true), PAUSE_MS, TimeUnit.MILLISECONDS);
        }
    }
}
