package io.meshlive.core;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.TrackType;
import io.meshlive.media.cue.Cue;
import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stream's fan-out on one event loop: its viewers on that loop, and its own copy of the codec
 * configuration and GOP cache, so that a viewer joining on this loop starts at once, without
 * asking any other thread.
 *
 * <p>The publisher hands frames over through a lock-free queue and wakes the loop at most once
 * per batch; a loop with no reader of the stream only every {@link #READERLESS_BATCH} frames.
 * When the publisher runs on this very loop, frames are dispatched in place and flushed at the
 * end of the publisher's read batch. Everything but the {@code offer} methods runs on the loop.
 */
final class LoopFanout implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(LoopFanout.class);
    /** Queue marker: the publisher left, drop the caches. */
    static final Object PUBLISHER_GONE = new Object();
    /**
     * A loop with no reader of the stream is woken once per this many frames, not for each: it
     * only folds them into its configuration and GOP cache. Waking them per frame cost the loops
     * without readers 74-93 us of CPU per frame, one wake in 32 cost them 4-7 us, and the
     * publisher's loop 140-165 against 87-114 us (ReaderlessLoopsTest: 4 loops, 20 streams, busy machine).
     */
    static final int READERLESS_BATCH = 32;

    private final Stream stream;
    private final EventLoop loop;
    private final Queue<Object> inbox = PlatformDependent.newMpscQueue();
    private final AtomicInteger scheduled = new AtomicInteger();
    /** Subscribers on this loop, for the publisher's loop to read (see {@link #offerFromPublisher}). */
    private volatile int readers;
    /** Frames queued without waking this loop; written by the publisher's loop only. */
    private int unwoken;

    private final ArrayList<Subscriber> subscribers = new ArrayList<>();
    private final Frame[] configs = new Frame[TrackType.values().length];
    private final ArrayList<Frame> gop = new ArrayList<>();
    /** The current sticky cue, given to viewers joining; null when none, or a sticky clear ended the last one. */
    private Frame stickyCue;
    private final ArrayList<Subscriber> leaving = new ArrayList<>();
    private boolean hasVideo;
    private boolean dirty;
    private boolean dispatching;

    LoopFanout(Stream stream, EventLoop loop) {
        this.stream = stream;
        this.loop = loop;
    }

    EventLoop loop() {
        return loop;
    }

    /** From any thread: queue a retained frame (or a marker) for this loop. */
    void offer(Object item) {
        inbox.offer(item);
        wake();
    }

    /**
     * From the publisher's loop: queue a retained frame; wake this loop for it when the stream has
     * readers here, else once per {@link #READERLESS_BATCH} frames. A reader joining meanwhile
     * drains the queue before it is served ({@link #add}): {@code readers} is read after the
     * offer and written before that drain, so either the drain finds this frame or this call
     * sees the reader and wakes the loop.
     */
    void offerFromPublisher(Frame frame) {
        inbox.offer(frame);
        if (readers > 0 || ++unwoken >= READERLESS_BATCH) {
            unwoken = 0;
            wake();
        }
    }

    private void wake() {
        if (scheduled.compareAndSet(0, 1)) {
            loop.execute(this);
        }
    }

    /**
     * From the publisher's loop: queue a retained frame without waking this loop, because the
     * caller offers another frame right after it (a cue, then its video frame), and that one
     * wakes it. Both then go to the viewers in one drain and one flush; woken for the cue alone,
     * the loop could flush it by itself, one more socket write per viewer per cue.
     */
    void offerAhead(Frame frame) {
        inbox.offer(frame);
    }

    /**
     * On this loop, from the publisher: dispatch a retained frame now; the flush comes with
     * {@link #flushIfDirty} at the end of the publisher's read. Writing every viewer first and then
     * flushing them all costs a third less CPU at 2,000 viewers than flushing each after its write
     * (measured with the bench, 50 % against 72 % of a core; a burst of syscalls likely wakes each
     * receiver once), for about twice
     * the average fan-out delay.
     */
    void dispatchInPlace(Frame frame, long nowNanos) {
        if (!inbox.isEmpty()) {
            drainInbox(nowNanos);
        }
        handle(frame, nowNanos);
    }

    @Override
    public void run() {
        scheduled.set(0);
        drainInbox(System.nanoTime());
        flushIfDirty();
    }

    private void drainInbox(long nowNanos) {
        Object item;
        while ((item = inbox.poll()) != null) {
            handle(item, nowNanos);
        }
    }

    /**
     * Flushes every subscriber that was written to. Merging writes over a few tens of milliseconds
     * (SRS's "merged write") was measured here and saved no CPU at 2,000 viewers while adding
     * that much delay, so frames leave at the end of each publisher read.
     */
    void flushIfDirty() {
        if (!dirty) {
            return;
        }
        dirty = false;
        dispatching = true;
        try {
            for (int i = 0, n = subscribers.size(); i < n; i++) {
                Subscriber s = subscribers.get(i);
                try {
                    s.flush();
                } catch (RuntimeException e) {
                    evict(s, e);
                }
            }
        } finally {
            dispatching = false;
            removeLeaving();
        }
    }

    /**
     * A subscriber failed: it alone is dropped and told to close, so one broken viewer never
     * stops the publisher or its neighbours.
     */
    private void evict(Subscriber s, RuntimeException e) {
        log.warn("stream {}: dropping subscriber {} after an internal error", stream.key(), s, e);
        remove(s);
        try {
            s.onStreamClosed("internal error: " + e);
        } catch (RuntimeException again) {
            log.warn("stream {}: subscriber {} failed to close", stream.key(), s, again);
        }
    }

    private void handle(Object item, long nowNanos) {
        if (item == PUBLISHER_GONE) {
            clearCaches();
            for (int i = subscribers.size() - 1; i >= 0; i--) {
                subscribers.get(i).onPublisherGone();
            }
            dirty = true;
            return;
        }
        Frame frame = (Frame) item;
        try {
            cache(frame);
            dispatching = true;
            for (int i = 0, n = subscribers.size(); i < n; i++) {
                Subscriber s = subscribers.get(i);
                try {
                    s.onFrame(frame, nowNanos);
                } catch (RuntimeException e) {
                    evict(s, e);
                }
            }
            dirty |= !subscribers.isEmpty();
        } finally {
            dispatching = false;
            frame.release();
            removeLeaving();
        }
    }

    private void cache(Frame frame) {
        TrackType track = frame.track();
        if (frame.codec() == Codec.CUE) {
            if (Cue.stickyFlag(frame.payload())) {
                // Read once here, per sticky cue and loop, so a joining viewer costs no parse.
                boolean clears = Cue.CLEAR_KIND.equals(Cue.read(frame.payload()).kind());
                releaseStickyCue();
                stickyCue = clears ? null : frame.retain();
            }
            return; // never in the GOP: a late joiner must not see stale cues fire
        }
        if (frame.isConfig()) {
            Frame old = configs[track.ordinal()];
            configs[track.ordinal()] = frame.retain();
            if (old != null) {
                old.release();
            }
            hasVideo |= track == TrackType.VIDEO;
            return;
        }
        if (track == TrackType.VIDEO) {
            hasVideo = true;
            if (frame.isKeyframe()) {
                releaseGop();
            } else if (gop.isEmpty()) {
                return;
            }
        } else if (hasVideo && gop.isEmpty() || track == TrackType.DATA) {
            return; // script data other than metadata are cues of a moment, not state
        }
        if (gop.size() >= stream.settings().gopCacheMaxFrames()) {
            // A source with keyframes this rare cannot start a viewer cheaply anyway; cap memory.
            releaseGop();
            if (!hasVideo || !frame.isVideoKeyframe()) {
                return;
            }
        }
        if (!hasVideo && track == TrackType.AUDIO && gop.size() >= AUDIO_ONLY_TAIL) {
            gop.remove(0).release();
        }
        gop.add(frame.retain());
    }

    /** Audio-only streams keep this many recent frames, about half a second, to start a viewer with. */
    private static final int AUDIO_ONLY_TAIL = 24;

    private void releaseGop() {
        for (int i = 0, n = gop.size(); i < n; i++) {
            gop.get(i).release();
        }
        gop.clear();
    }

    private void clearCaches() {
        releaseGop();
        for (int i = 0; i < configs.length; i++) {
            if (configs[i] != null) {
                configs[i].release();
                configs[i] = null;
            }
        }
        hasVideo = false;
    }

    /** The sticky cue outlives a publisher's departure (a reconnecting host keeps selling), not the stream. */
    private void releaseStickyCue() {
        if (stickyCue != null) {
            stickyCue.release();
            stickyCue = null;
        }
    }

    /** On this loop: adds a subscriber and replays configuration and the GOP to it at once. */
    void add(Subscriber s) {
        readers = subscribers.size() + 1; // before the drain: see offerFromPublisher
        long now = System.nanoTime();
        drainInbox(now);
        flushIfDirty();
        subscribers.add(s);
        s.onSubscribed(stream);
        // Metadata first, then decoder configs, then the cached GOP: the order players expect.
        for (TrackType t : new TrackType[] {TrackType.DATA, TrackType.VIDEO, TrackType.AUDIO}) {
            Frame c = configs[t.ordinal()];
            if (c != null) {
                s.onFrame(c, now);
            }
        }
        if (stickyCue != null) {
            s.onFrame(stickyCue, now); // the product on sale now, before the first picture
        }
        for (int i = 0, n = gop.size(); i < n; i++) {
            s.onFrame(gop.get(i), now);
        }
        s.flush();
    }

    /**
     * On this loop: the cached video configuration and the keyframe opening the cached GOP, both
     * retained; null when the stream has no video keyframe cached (no video yet, or a GOP too
     * long for the cache).
     */
    LatestKeyframe latestKeyframe() {
        drainInbox(System.nanoTime()); // a loop without readers may hold frames it was not woken for
        Frame config = configs[TrackType.VIDEO.ordinal()];
        Frame first = gop.isEmpty() ? null : gop.get(0);
        if (config == null || first == null || !first.isVideoKeyframe()) {
            return null;
        }
        return new LatestKeyframe(config.retain(), first.retain());
    }

    /** Removes a subscriber; during a dispatch the removal waits until the loop over subscribers ends. */
    void remove(Subscriber s) {
        if (dispatching) {
            leaving.add(s);
        } else {
            subscribers.remove(s);
        }
        readers = subscribers.size() - leaving.size();
    }

    private void removeLeaving() {
        if (!leaving.isEmpty()) {
            subscribers.removeAll(leaving);
            leaving.clear();
            readers = subscribers.size();
        }
    }

    /** On this loop: tells every subscriber the stream is over and drops everything. */
    void closeAll(String reason) {
        drainInbox(System.nanoTime());
        Subscriber[] copy = subscribers.toArray(new Subscriber[0]);
        subscribers.clear();
        readers = 0;
        for (Subscriber s : copy) {
            s.onStreamClosed(reason);
        }
        clearCaches();
        releaseStickyCue();
    }

    /** On this loop: releases every cached frame and queued item (the stream is being dropped). */
    void dispose() {
        Object item;
        while ((item = inbox.poll()) != null) {
            if (item instanceof Frame f) {
                f.release();
            }
        }
        clearCaches();
        releaseStickyCue();
    }
}
