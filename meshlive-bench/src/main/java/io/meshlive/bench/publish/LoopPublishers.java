package io.meshlive.bench.publish;

import io.meshlive.bench.EventLoops;
import io.meshlive.rtmp.client.WhyClosedHandler;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The publishers on one event loop and the clock that paces them: one tick for all of them rather
 * than a timer per tag, so a thousand streams cost a thousand checks per tick and no allocation.
 */
final class LoopPublishers implements EventLoops.Share<PublisherResult> {
    /** Tags leave at most this late; far below what any player or the server's latency figures notice. */
    private static final long TICK_MICROS = 2000;

    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final List<Publisher> publishers;
    private ScheduledFuture<?> ticker;

    LoopPublishers(EventLoop loop, Bootstrap bootstrap, List<Publisher> publishers) {
        this.loop = loop;
        this.bootstrap = bootstrap.clone(loop);
        this.publishers = publishers;
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    /** From any thread. */
    void start() {
        loop.execute(() -> {
            publishers.forEach(this::connect);
            ticker = loop.scheduleAtFixedRate(this::tick, TICK_MICROS, TICK_MICROS, TimeUnit.MICROSECONDS);
        });
    }

    private void connect(Publisher publisher) {
        ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                new RtmpPublishHandler(publisher).install(ch.pipeline(), null);
            }
        }).connect(publisher.url().address());
        publisher.connecting(f.channel());
        f.addListener(done -> {
            if (!done.isSuccess()) {
                publisher.end("connect failed: " + WhyClosedHandler.describe(done.cause()));
            }
        });
    }

    private void tick() {
        long now = System.nanoTime();
        for (Publisher p : publishers) {
            p.sendDue(now);
        }
    }

    @Override
    public List<PublisherResult> snapshot() {
        long now = System.nanoTime();
        List<PublisherResult> results = new ArrayList<>(publishers.size());
        for (Publisher p : publishers) {
            results.add(p.snapshot(now));
        }
        return results;
    }

    /** On the loop. */
    void stop() {
        if (ticker != null) {
            ticker.cancel(false);
        }
        publishers.forEach(Publisher::stop);
    }
}
