package io.meshlive.core;

import io.meshlive.core.cue.StreamCues;
import io.meshlive.media.Frame;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One live stream, {@code app/name}: at most one publisher, any number of subscribers.
 *
 * <p>The publish path ({@link #publish}, {@link #endOfBatch}) runs on the publisher's event loop
 * and takes no lock: it hands each frame to one {@link LoopFanout} per event loop. Attaching and
 * detaching publishers and subscribers is rare and synchronises on the stream.
 */
public final class Stream {
    private static final Logger log = LoggerFactory.getLogger(Stream.class);

    private final StreamKey key;
    private final StreamRegistry registry;
    private final Workers workers;
    private final LoopFanout[] fanouts;
    private final StreamStats stats;
    private final StreamCues cues;
    /** Made once: a method reference taken in {@link #publish} would be a new object per video frame. */
    private final Consumer<Frame> cueAheadOfVideo = this::dispatchAhead;

    // Guarded by this.
    private Session publisher;
    private int subscriberCount;
    private boolean closed;
    private ScheduledFuture<?> goneTimer;
    /** Sources were asked to feed this publisher-less stream; asked again only after a publisher came and went. */
    private boolean demanded;
    private ScheduledFuture<?> idleTimer;
    /** The origin's frame numbers; written by the publisher's loop only. */
    private long nextSequence;
    private long sequenceEpoch;

    Stream(StreamKey key, StreamRegistry registry) {
        this.key = key;
        this.registry = registry;
        this.workers = registry.workers();
        this.fanouts = new LoopFanout[workers.size()];
        for (int i = 0; i < fanouts.length; i++) {
            fanouts[i] = new LoopFanout(this, workers.loop(i));
        }
        this.stats = new StreamStats(key, workers.size());
        this.cues = new StreamCues(key.toString(), registry.cueRateLimit(), registry.seiCueUuid());
    }

    public StreamKey key() {
        return key;
    }

    public StreamStats stats() {
        return stats;
    }

    /** The stream's cues: inject from any thread, list what went out. */
    public StreamCues cues() {
        return cues;
    }

    Workers workers() {
        return workers;
    }

    HubSettings settings() {
        return registry.settings();
    }

    public synchronized Session publisher() {
        return publisher;
    }

    public synchronized int subscriberCount() {
        return subscriberCount;
    }

    /** Claims the stream for a publisher. Called by {@link StreamRegistry#attachPublisher}. */
    synchronized PublishOutcome attach(Session session) {
        if (closed) {
            return PublishOutcome.RETRY;
        }
        Session previous = publisher;
        // A source the hub started on demand yields to a host publishing here.
        if (previous != null && !settings().takeover() && !(previous instanceof DemandSource)) {
            return PublishOutcome.BUSY;
        }
        publisher = session;
        cancelGoneTimer();
        cancelIdleTimer();
        stats.publisherStarted();
        if (previous != null) {
            // Listeners see the old publisher go before they are told of the new one.
            registry.publisherDetached(this, previous);
            detachLocked(previous);
            previous.close("taken over by " + session);
        }
        registry.publisherAttached(this, session);
        return previous != null ? PublishOutcome.TOOK_OVER : PublishOutcome.STARTED;
    }

    /**
     * Numbers this stream's frames within an origin epoch ({@link Frame#epoch()}, then
     * {@link Frame#sequence()} from 1), so (epoch, sequence) names a frame cluster-wide. Called when
     * a publisher attaches, on its loop, before its first frame; the same epoch again (a takeover
     * on the same node) keeps counting.
     */
    public void numberFramesInEpoch(long epoch) {
        if (epoch != sequenceEpoch) {
            sequenceEpoch = epoch;
            nextSequence = 0;
        }
    }

    /** The publisher is done (it closed, or was kicked). Viewers stay and wait for a new one. */
    public void detachPublisher(Session session) {
        boolean askSources;
        synchronized (this) {
            if (publisher != session) {
                return;
            }
            publisher = null;
            cancelIdleTimer();
            detachLocked(session);
            if (subscriberCount == 0) {
                closeLocked();
            } else {
                armGoneTimer();
            }
            // Under the lock, like attach: a publisher reconnecting at once is announced after this.
            registry.publisherDetached(this, session);
            // Viewers left waiting: the host may be publishing on another node now.
            askSources = !closed && !(session instanceof DemandSource);
            demanded = askSources;
        }
        if (askSources) {
            registry.demand(this);
        }
    }

    private void detachLocked(Session session) {
        for (LoopFanout f : fanouts) {
            f.offer(LoopFanout.PUBLISHER_GONE);
        }
        stats.publisherStopped();
    }

    private synchronized void publisherGoneTimeout() {
        goneTimer = null;
        if (publisher == null && !closed) {
            log.info("stream {}: no publisher for {} ms, closing {} viewer(s)", key,
                    settings().publisherGoneTimeoutMillis(), subscriberCount);
            closeSubscribers("publisher gone");
        }
    }

    /**
     * Hands a frame to every subscriber. Publisher's event loop only; takes ownership of the frame.
     * Never blocks and never waits for a viewer. Cues injected from the API go out here, right
     * before the video frame they land on; the publisher's own cues count against the cue rate.
     */
    public void publish(Frame frame) {
        if (StreamCues.isCue(frame)) {
            if (!cues.admitPublished(frame)) {
                frame.release();
                return;
            }
        } else if (StreamCues.carriesCues(frame)) {
            cues.beforeVideo(frame, cueAheadOfVideo);
        }
        dispatch(frame, true);
    }

    /** A cue due on the video frame being published, which follows at once and wakes the other loops. */
    private void dispatchAhead(Frame cue) {
        dispatch(cue, false);
    }

    private void dispatch(Frame frame, boolean wake) {
        frame.stampSequence(sequenceEpoch, ++nextSequence);
        stats.frameIn(frame);
        int local = workers.current();
        long now = System.nanoTime();
        for (int i = 0; i < fanouts.length; i++) {
            if (i == local) {
                fanouts[i].dispatchInPlace(frame.retain(), now);
            } else if (wake) {
                fanouts[i].offerFromPublisher(frame.retain());
            } else {
                fanouts[i].offerAhead(frame.retain());
            }
        }
        frame.release();
    }

    /** The publisher finished a read: flush the viewers on its own loop in one go. */
    public void endOfBatch() {
        int local = workers.current();
        if (local >= 0) {
            fanouts[local].flushIfDirty();
        }
    }

    /**
     * Adds a subscriber. Must be called on the subscriber's event loop; it gets the stream's
     * metadata, codec configuration and cached GOP before this returns.
     *
     * @return false when the stream closed meanwhile; ask the registry for the stream again
     */
    public boolean subscribe(Subscriber s) {
        LoopFanout fanout = fanoutOf(s);
        boolean askSources;
        synchronized (this) {
            if (closed) {
                return false;
            }
            subscriberCount++;
            cancelIdleTimer();
            cancelGoneTimerIfPublished();
            askSources = publisher == null && !demanded;
            demanded |= askSources;
        }
        if (askSources) {
            registry.demand(this);
        }
        fanout.add(s);
        return true;
    }

    /**
     * Hands the video configuration and the latest keyframe, retained, to {@code receiver}, or
     * null when there is none (no video yet, or the stream is gone); the receiver releases them.
     * Reads the GOP cache of the caller's own loop at once, else queues the read on one loop and
     * calls {@code receiver} there, so it must not block. No subscriber is needed: every
     * fan-out caches the GOP anyway.
     */
    public void latestKeyframe(Consumer<LatestKeyframe> receiver) {
        int local = workers.current();
        if (local >= 0) {
            receiver.accept(fanouts[local].latestKeyframe());
            return;
        }
        LoopFanout f = fanouts[Math.floorMod(key.hashCode(), fanouts.length)];
        try {
            f.loop().execute(() -> receiver.accept(f.latestKeyframe()));
        } catch (RejectedExecutionException shuttingDown) {
            receiver.accept(null);
        }
    }

    /** Removes a subscriber; on its own event loop. */
    public void unsubscribe(Subscriber s) {
        fanoutOf(s).remove(s);
        synchronized (this) {
            if (--subscriberCount == 0 && publisher == null && !closed) {
                closeLocked();
            } else if (subscriberCount == 0 && publisher instanceof DemandSource && idleTimer == null) {
                idleTimer = workers.loop(0).schedule(this::idleTimeout, registry.demandIdleMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Nobody read the stream for the demand idle time: its on-demand source stops. */
    private void idleTimeout() {
        Session idle;
        synchronized (this) {
            idleTimer = null;
            idle = subscriberCount == 0 && publisher instanceof DemandSource ? publisher : null;
        }
        if (idle != null) {
            log.info("stream {}: no readers for {} ms, stopping its source {}", key, registry.demandIdleMillis(), idle);
            idle.close("no readers");
        }
    }

    private void cancelIdleTimer() {
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
    }

    private LoopFanout fanoutOf(Subscriber s) {
        int i = workers.indexOf(s.eventLoop());
        if (i < 0 || !s.eventLoop().inEventLoop()) {
            throw new IllegalStateException("subscriber must be on one of the node's event loops");
        }
        return fanouts[i];
    }

    /** Cuts the publisher and every subscriber (forbid, shutdown). */
    public void terminate(String reason) {
        Session p;
        synchronized (this) {
            p = publisher;
        }
        if (p != null) {
            p.close(reason);
        }
        closeSubscribers(reason);
    }

    private void closeSubscribers(String reason) {
        for (LoopFanout f : fanouts) {
            f.loop().execute(() -> f.closeAll(reason));
        }
    }

    private void cancelGoneTimerIfPublished() {
        // A viewer arriving does not by itself keep a publisher-less stream alive forever.
        if (publisher != null) {
            cancelGoneTimer();
        } else if (goneTimer == null) {
            armGoneTimer();
        }
    }

    /** Viewers of a stream without a publisher are closed when this fires. Guarded by this. */
    private void armGoneTimer() {
        goneTimer = workers.loop(0).schedule(this::publisherGoneTimeout,
                settings().publisherGoneTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelGoneTimer() {
        if (goneTimer != null) {
            goneTimer.cancel(false);
            goneTimer = null;
        }
    }

    private void closeLocked() {
        closed = true;
        cancelGoneTimer();
        cancelIdleTimer();
        registry.remove(this);
        for (LoopFanout f : fanouts) {
            f.loop().execute(f::dispose);
        }
    }

    @Override
    public String toString() {
        return key.toString();
    }
}
