package io.meshlive.cluster.staticrelay;

import io.meshlive.core.Transport;
import io.meshlive.rtmp.client.RtmpUrl;
import io.meshlive.rtmp.client.WhyClosedHandler;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * One static relay's connection cycle, confined to one event loop: resolve the host off the loop,
 * connect, run, and after any failure wait ({@link Backoff}) and start again, until stopped. What
 * the connection does is the subclass's: a pull publishes what it receives, a push sends a stream.
 * The state is written on the loop and read by the API from another thread.
 */
abstract class StaticRelay {
    private static final Logger log = LoggerFactory.getLogger(StaticRelay.class);
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /** A connection that receives nothing for this long is taken for dead and made again. */
    static final int READ_IDLE_SECONDS = 30;
    /** Errors are shown and logged at most this long: a peer's text is not ours to print in full. */
    private static final int MAX_ERROR = 200;

    enum State { IDLE, CONNECTING, RUNNING, RETRYING }

    final String id;
    final RelaySpec spec;
    final EventLoop loop;
    final RelayContext context;
    final String host;
    final int port;
    final boolean tls;
    private final Backoff backoff;

    private volatile State state;
    private volatile String error;
    private volatile long sinceMillis = System.currentTimeMillis();
    private volatile long retryAtMillis;
    private volatile int failures;
    /** Media bytes in (pull) or out (push), over every connection; written on the loop only. */
    private volatile long bytes;

    // Loop-confined.
    private int attempt;
    private Channel channel;
    private ScheduledFuture<?> retry;
    private long attemptStartedMillis;
    private boolean stopped;

    StaticRelay(String id, RelaySpec spec, EventLoop loop, RelayContext context, State initial) {
        this.state = initial;
        this.id = id;
        this.spec = spec;
        this.loop = loop;
        this.context = context;
        this.backoff = new Backoff(context.retryMaxMillis());
        if (RelaySpec.isHttp(spec.url())) {
            URI uri = URI.create(spec.url());
            this.tls = uri.getScheme().equalsIgnoreCase("https");
            this.host = uri.getHost();
            this.port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        } else {
            RtmpUrl url = RtmpUrl.parse(spec.url());
            this.tls = url.tls();
            this.host = url.host();
            this.port = url.port();
        }
    }

    /** Starts the cycle; from any thread. */
    abstract void start();

    /** Puts this relay's handlers on a new connection's pipeline; {@code attempt} tags what they report. */
    abstract void initChannel(Channel ch, int attempt);

    /** Counts media bytes; on the loop. */
    final void addBytes(long n) {
        bytes += n;
    }

    /** Stops for good, closing the connection; from any thread. */
    final void stop() {
        loop.execute(() -> {
            stopped = true;
            idle("relay removed");
            log.info("relay {} ({} {} {}) removed", id, spec.kind().lower(), spec.key(), spec.redactedUrl());
        });
    }

    /** Closes the connection and waits without retrying (stopped, or a push whose stream has no publisher); on the loop. */
    final void idle(String why) {
        attempt++;
        cancelRetry();
        if (channel != null) {
            Channel ch = channel;
            channel = null;
            WhyClosedHandler.close(ch, why);
        }
        setState(State.IDLE);
    }

    /** Begins an attempt: resolves the host off the loop (DNS may block), then connects; on the loop. */
    final void connect() {
        if (stopped || channel != null) {
            return;
        }
        cancelRetry();
        int mine = ++attempt;
        attemptStartedMillis = System.currentTimeMillis();
        setState(State.CONNECTING);
        admit(mine, () -> context.resolve(host).whenComplete((address, failure) -> loop.execute(() -> {
            if (!current(mine)) {
                return;
            }
            if (failure != null) {
                ended(mine, "cannot resolve " + host + ": " + WhyClosedHandler.describe(failure.getCause() != null ? failure.getCause() : failure));
            } else {
                open(mine, address);
            }
        })));
    }

    /** Runs {@code go} on the loop if attempt {@code mine} may go ahead; a pull asks the forbid list first. */
    void admit(int mine, Runnable go) {
        go.run();
    }

    /** Whether attempt {@code mine} is still the one in progress; on the loop. */
    final boolean current(int mine) {
        return mine == attempt && !stopped;
    }

    private void open(int mine, InetAddress address) {
        ChannelFuture f = new Bootstrap().group(loop).channel(Transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.TCP_NODELAY, true)
                // As for the node's viewers: room for the GOP a push starts with, so it does not count as falling behind.
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        StaticRelay.this.initChannel(ch, mine);
                    }
                })
                .connect(new InetSocketAddress(address, port));
        channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                ended(mine, "connect to " + host + ":" + port + " failed: " + WhyClosedHandler.describe(done.cause()));
            }
        });
    }

    /** Media flows on attempt {@code mine}; on the loop. */
    final void running(int mine) {
        if (mine == attempt && state != State.RUNNING) {
            setState(State.RUNNING);
            log.info("relay {} running: {} {} {}", id, spec.kind().lower(), spec.key(), spec.redactedUrl());
        }
    }

    /**
     * Attempt {@code mine} is over for {@code reason} (its connection ended, or this side ends it):
     * the connection is closed if still open, and the next attempt is scheduled. Later news of the
     * same attempt is ignored. On the loop.
     */
    final void ended(int mine, String reason) {
        if (!current(mine)) {
            return;
        }
        attempt++;
        if (channel != null) {
            Channel ch = channel;
            channel = null;
            WhyClosedHandler.close(ch, reason);
        }
        String why = reason.length() <= MAX_ERROR ? reason : reason.substring(0, MAX_ERROR) + "...";
        long wait = backoff.next(System.currentTimeMillis() - attemptStartedMillis);
        error = why;
        failures++;
        retryAtMillis = System.currentTimeMillis() + wait;
        setState(State.RETRYING);
        log.info("relay {} ({} {} {}) failed, retrying in {} ms: '{}'", id, spec.kind().lower(), spec.key(),
                spec.redactedUrl(), wait, why);
        int next = attempt;
        retry = loop.schedule(() -> {
            if (next == attempt) {
                connect();
            }
        }, wait, TimeUnit.MILLISECONDS);
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    private void setState(State s) {
        if (state != s) {
            state = s;
            sinceMillis = System.currentTimeMillis();
        }
    }

    /** A snapshot for the API; any thread (fields are read racily, as session counters are). */
    final RelayStatus status() {
        State s = state;
        long retryIn = s == State.RETRYING ? Math.max(0, retryAtMillis - System.currentTimeMillis()) : 0;
        return new RelayStatus(id, spec.kind().lower(), spec.redactedUrl(), spec.key().app(), spec.key().name(),
                s.name().toLowerCase(), error, sinceMillis, bytes, failures, retryIn);
    }
}
