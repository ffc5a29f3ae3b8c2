package io.meshlive.server.it;

import io.meshlive.core.Hub;
import io.meshlive.core.Session;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.Subscriber;
import io.meshlive.media.Frame;
import io.meshlive.media.TrackType;
import io.meshlive.media.cue.Cue;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small test publisher: reads one stream and publishes it again under another name, from its
 * own event loop (the hub's threading rule), with a cue frame (dts = pts = the video frame's pts)
 * just before every {@code every}-th video frame, the way a cue travels in the hub. Stands in
 * for the cue API until it exists.
 */
final class CueInjector extends Session implements Subscriber {
    private final Hub hub;
    private final EventLoop loop;
    private final StreamKey to;
    private final int every;
    private final boolean sticky;
    private final List<Cue> sent = new CopyOnWriteArrayList<>();
    private Stream source;
    private Stream target;
    private long videoFrames;

    private CueInjector(Hub hub, StreamKey to, int every, boolean sticky) {
        super("cue-test", Role.PUBLISHER, "test");
        this.hub = hub;
        this.loop = hub.workers().loop(0);
        this.to = to;
        this.every = every;
        this.sticky = sticky;
    }

    /** Republishes {@code from} as {@code to}, a cue before every {@code every}-th video frame. */
    static CueInjector start(Hub hub, StreamKey from, StreamKey to, int every, boolean sticky) {
        CueInjector injector = new CueInjector(hub, to, every, sticky);
        injector.stream = to;
        injector.loop.execute(() -> {
            injector.target = hub.streams().attachPublisher(to, injector).stream();
            hub.streams().subscribe(from, injector);
        });
        return injector;
    }

    /** The cues published so far. */
    List<Cue> sent() {
        return sent;
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public void onSubscribed(Stream s) {
        source = s;
    }

    @Override
    public void onFrame(Frame frame, long nowNanos) {
        if (target == null) {
            return;
        }
        if (frame.track() == TrackType.VIDEO && !frame.isConfig() && ++videoFrames % every == 0) {
            Cue cue = new Cue("c" + videoFrames, "product", "{\"title\":\"Item " + videoFrames + "\",\"price\":\"9.99\"}",
                    frame.pts(), System.currentTimeMillis(), 2000, sticky, false);
            sent.add(cue);
            target.publish(cue.toFrame(ByteBufAllocator.DEFAULT, System.nanoTime()));
        }
        target.publish(frame.retain());
    }

    @Override
    public void flush() {
        if (target != null) {
            target.endOfBatch();
        }
    }

    @Override
    public void onPublisherGone() {
    }

    @Override
    public void onStreamClosed(String reason) {
        close(reason);
    }

    @Override
    public void close(String reason) {
        loop.execute(() -> {
            if (source != null) {
                source.unsubscribe(this);
                source = null;
            }
            if (target != null) {
                target.detachPublisher(this);
                target = null;
            }
        });
    }
}
