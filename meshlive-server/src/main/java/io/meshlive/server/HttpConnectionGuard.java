package io.meshlive.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * First handler of every HTTP connection: takes its place under the node's caps (refusing it at
 * once, cheaply, beyond them), and closes it when it takes longer than the header deadline to
 * send a request's headers, or stays idle (no request under way, nothing read or written) past
 * the idle timeout. A request is under way from its headers until its response's last byte is
 * written, so a playing FLV or WebSocket viewer and a parked blocking reload are never idle. The
 * protocol handlers tell it when requests start and end ({@link #requestStarted},
 * {@link #requestEnded}); on HTTP/2 each stream is a request.
 */
final class HttpConnectionGuard extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(HttpConnectionGuard.class);

    private final HttpConnectionLimits limits;
    /** Whether a refused connection is told so in plain HTTP (not on the TLS port). */
    private final boolean plain;
    /** The client's address while it holds a place under the caps; null before, after, or when refused. */
    private InetAddress counted;
    private boolean refused;
    /** Requests whose headers came and whose response is not finished. */
    private int underWay;
    /** Whether a request came yet: until then the header deadline counts from the connection's opening. */
    private boolean served;
    /**
     * An HTTP/2 connection: between its streams it carries frames of its own (SETTINGS, PING,
     * WINDOW_UPDATE), so bytes are not a next request's headers; only the idle timeout applies.
     */
    private boolean http2;
    /** Whether bytes of a next request came since the last one ended (the header deadline applies, not the idle timeout). */
    private boolean headersStarted;
    /** When the connection opened, or the first byte after the last request ended came: the header deadline counts from it. */
    private long headersSinceNanos;
    private long lastActivityNanos;
    private ScheduledFuture<?> check;

    HttpConnectionGuard(HttpConnectionLimits limits, boolean plain) {
        this.limits = limits;
        this.plain = plain;
    }

    /** The guard of the connection {@code ch} is (or, for an HTTP/2 stream, belongs to); null if none. */
    static HttpConnectionGuard of(Channel ch) {
        Channel connection = ch.parent() != null && !(ch.parent() instanceof io.netty.channel.ServerChannel) ? ch.parent() : ch;
        return connection.pipeline().get(HttpConnectionGuard.class);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress address = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        if (address != null && !limits.tryAcquire(address)) {
            refused = true;
            if (plain) {
                ctx.writeAndFlush(HttpConnectionLimits.busy()).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
            return;
        }
        counted = address;
        headersSinceNanos = lastActivityNanos = System.nanoTime();
        schedule(ctx, limits.headerTimeoutNanos);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
        }
        if (counted != null) {
            limits.release(counted);
            counted = null;
        }
        if (!refused) {
            ctx.fireChannelInactive();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            io.netty.util.ReferenceCountUtil.release(msg);
            return;
        }
        lastActivityNanos = System.nanoTime();
        if (served && underWay == 0 && !headersStarted && !http2) {
            headersStarted = true;
            headersSinceNanos = lastActivityNanos;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        // While a request is under way the idle clock does not run (requestEnded restarts it), so a
        // playing viewer's frames do not each read the clock.
        if (underWay == 0) {
            lastActivityNanos = System.nanoTime();
        }
        ctx.write(msg, promise);
    }

    /** An HTTP/2 stream opened (on the connection's loop); each is a request. */
    void streamStarted() {
        http2 = true;
        requestStarted();
    }

    /** A request's headers came (on the connection's loop). */
    void requestStarted() {
        underWay++;
        served = true;
        headersStarted = false;
    }

    /** A request's response was written to its end, or its HTTP/2 stream closed (on the connection's loop). */
    void requestEnded() {
        if (underWay > 0 && --underWay == 0) {
            lastActivityNanos = System.nanoTime();
        }
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        check = ctx.executor().schedule(() -> checkDeadlines(ctx), Math.max(delayNanos, 1), TimeUnit.NANOSECONDS);
    }

    private void checkDeadlines(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        long next;
        if (underWay > 0) {
            next = limits.idleTimeoutNanos; // under way: never idle
        } else if (!served || headersStarted) {
            long late = now - headersSinceNanos - limits.headerTimeoutNanos;
            if (late >= 0) {
                close(ctx, "sent no complete request headers within http.headerTimeoutMs");
                return;
            }
            next = -late;
        } else {
            long late = now - lastActivityNanos - limits.idleTimeoutNanos;
            if (late >= 0) {
                close(ctx, "idle past http.idleTimeoutMs");
                return;
            }
            next = -late;
        }
        schedule(ctx, next);
    }

    private void close(ChannelHandlerContext ctx, String why) {
        log.debug("HTTP connection from {} closed: {}", ctx.channel().remoteAddress(), why);
        // Through the whole pipeline, so an HTTP/2 connection says GOAWAY before it goes.
        ctx.channel().close();
    }
}
