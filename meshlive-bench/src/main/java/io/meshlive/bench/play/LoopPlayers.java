package io.meshlive.bench.play;

import io.meshlive.bench.EventLoops;
import io.meshlive.rtmp.client.WhyClosedHandler;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The players on one event loop. It connects them at its share of the ramp rate, samples them and
 * stops them, always on that loop, so a player's counters need no synchronisation.
 */
final class LoopPlayers implements EventLoops.Share<PlayerResult> {
    private static final long RAMP_TICK_MILLIS = 10;
    private static final int DRAIN_READ_BYTES = 256 * 1024;

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final List<Player> players;
    private final double perSecond;
    /** Null when no player plays WHEP. */
    private final WhepResources whep;
    /** Zero: RTMP and HTTP-FLV players read as data arrives; else they read only on each tick of this. */
    private final Duration drainEvery;
    private int launched;
    private long rampStartNanos;
    private ScheduledFuture<?> ramp;
    private ScheduledFuture<?> drain;

    /**
     * {@code perSecond} of 0 or less connects them all at once; {@code whep} may be null when no
     * player plays WHEP; {@code drainEvery} of zero reads as data arrives.
     */
    LoopPlayers(EventLoop loop, Bootstrap bootstrap, List<Player> players, double perSecond, WhepResources whep,
                Duration drainEvery) {
        this.loop = loop;
        this.bootstrap = bootstrap.clone(loop);
        this.players = players;
        this.perSecond = perSecond;
        this.whep = whep;
        this.drainEvery = drainEvery;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    /** From any thread. */
    void start() {
        loop.execute(() -> {
            rampStartNanos = System.nanoTime();
            if (perSecond <= 0) {
                launchUpTo(players.size());
            } else {
                ramp = loop.scheduleAtFixedRate(this::rampTick, 0, RAMP_TICK_MILLIS, TimeUnit.MILLISECONDS);
            }
            if (!drainEvery.isZero()) {
                drain = loop.scheduleAtFixedRate(this::drainTick, 0, drainEvery.toNanos(), TimeUnit.NANOSECONDS);
            }
        });
    }

    /** Every RTMP and HTTP-FLV player reads what waits in its socket, once. */
    private void drainTick() {
        for (int i = 0; i < launched; i++) {
            players.get(i).drain();
        }
    }

    private void rampTick() {
        long due = 1 + (long) (perSecond * (System.nanoTime() - rampStartNanos) / 1e9);
        launchUpTo((int) Math.min(players.size(), due));
        if (launched == players.size()) {
            ramp.cancel(false);
        }
    }

    private void launchUpTo(int count) {
        while (launched < count) {
            connect(players.get(launched++));
        }
    }

    private void connect(Player player) {
        long start = System.nanoTime();
        if (player.url().whep()) {
            new WhepSession(player, loop, whep).start();
            return;
        }
        if (player.url().hls()) {
            HlsPlayHandler hls = new HlsPlayHandler(player, player.url());
            ChannelFuture playlists = open(player, http(player, hls.playlistConnection()));
            player.connecting(playlists.channel(), start);
            player.alsoConnecting(open(player, http(player, hls.partConnection())).channel());
            return;
        }
        player.connecting(open(player, pipeline(player, !drainEvery.isZero())).channel(), start);
    }

    private ChannelFuture open(Player player, ChannelInitializer<Channel> pipeline) {
        ChannelFuture f = bootstrap.clone().handler(pipeline).connect(player.url().address());
        f.addListener(done -> {
            if (!done.isSuccess()) {
                player.failed(WhyClosedHandler.describe(done.cause()));
            }
        });
        return f;
    }

    /** An LL-HLS connection: bytes counted as they arrive, then whole HTTP responses. */
    private static ChannelInitializer<Channel> http(Player player, WhyClosedHandler handler) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new ReceiveCounter(player), new HttpClientCodec(),
                        new HttpObjectAggregator(HlsPlayHandler.MAX_RESPONSE), handler);
            }
        };
    }

    /** An RTMP or HTTP-FLV connection; a drained one reads only when {@link Player#drain} asks. */
    private static ChannelInitializer<Channel> pipeline(Player player, boolean drained) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                if (drained) {
                    // One read per drain (Netty reads once per read() when auto-read is off): big
                    // enough for all 50 ms of a stream can queue, a keyframe included.
                    ch.config().setAutoRead(false);
                    ch.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(DRAIN_READ_BYTES));
                }
                ch.pipeline().addLast(new ReceiveCounter(player));
                if (player.url().rtmp()) {
                    new RtmpPlayHandler(player, player.url()).install(ch.pipeline(), null);
                } else {
                    ch.pipeline().addLast(new FlvPlayHandler(player, player.url()));
                }
            }
        };
    }

    @Override
    public List<PlayerResult> snapshot() {
        long now = System.nanoTime();
        List<PlayerResult> results = new ArrayList<>(players.size());
        for (Player p : players) {
            results.add(p.snapshot(now));
        }
        return results;
    }

    /**
     * On the loop: no more connects, and every open connection closed. The future completes when
     * the WHEP players' sessions are deleted.
     */
    CompletableFuture<Void> stop() {
        if (ramp != null) {
            ramp.cancel(false);
        }
        if (drain != null) {
            drain.cancel(false);
        }
        CompletableFuture<?>[] goodbyes = new CompletableFuture<?>[players.size()];
        for (int i = 0; i < goodbyes.length; i++) {
            goodbyes[i] = players.get(i).stop();
        }
        return CompletableFuture.allOf(goodbyes);
    }
}
