package io.meshlive.webrtc;

import io.meshlive.core.Hub;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.Subscriber;
import io.meshlive.media.Frame;
import io.meshlive.media.TrackType;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The ABR part of a WHEP viewer: when the stream has a ladder live, moves the viewer's video
 * between the stream and its renditions on the browser's estimate (REMB; {@link RenditionPolicy}
 * decides when), at a keyframe of the target ({@link VideoSwitch}), on the same SSRC and timeline.
 * A rendition is read on the viewer's loop, alongside the stream, while it is played or moved to.
 * Loop-confined.
 */
final class RenditionController {
    private static final Logger log = LoggerFactory.getLogger(RenditionController.class);

    /** The viewer the controller works for. */
    interface Viewer {
        EventLoop eventLoop();

        /** A video frame from a rendition, to pass through {@link #admit} and send. */
        void onVideo(VideoFeed from, Frame frame);

        void flush();

        boolean closed();
    }

    private final Hub hub;
    private final RenditionLadder ladder;
    private final Viewer viewer;
    private final VideoFeed source;
    private final VideoSwitch<VideoFeed> videoSwitch;
    private final RenditionPolicy policy = new RenditionPolicy();

    // Loop-confined.
    private Stream stream;
    /** The rendition whose video is sent, or null on the stream itself. */
    private RenditionFeed playing;
    /** The rendition being moved to, or null. */
    private RenditionFeed target;
    private long switches;

    /** @param source the stream the viewer asked for */
    RenditionController(Hub hub, RenditionLadder ladder, Viewer viewer, VideoFeed source) {
        this.hub = hub;
        this.ladder = ladder;
        this.viewer = viewer;
        this.source = source;
        this.videoSwitch = new VideoSwitch<>(source);
    }

    /** The viewer is subscribed to its stream. */
    void subscribed(Stream s) {
        stream = s;
    }

    /** The feed the video comes from now. */
    VideoFeed current() {
        return videoSwitch.current();
    }

    /**
     * Whether a media frame of {@code from} goes out: a frame of the feed played goes, until the
     * target's keyframe goes instead (the switch), and then only the target's.
     */
    boolean admit(VideoFeed from, Frame frame) {
        VideoFeed before = videoSwitch.current();
        VideoFeed movingTo = videoSwitch.target();
        switch (videoSwitch.onFrame(from, frame.isKeyframe(), frame.pts())) {
            case DROP -> {
                return false;
            }
            case SWITCHED -> switched(before);
            case GAVE_UP -> {
                log.info("{}: no keyframe from {} within a GOP of {}; staying", viewer, movingTo, before);
                stop(target);
                target = null;
            }
            case SEND -> {
            }
        }
        return true;
    }

    /** The browser's bandwidth estimate (REMB). */
    void onEstimate(long bitsPerSecond, long nowNanos) {
        policy.estimate(bitsPerSecond);
        consider(nowNanos);
    }

    /** Asks the policy whether to move to another rung, and starts the move; never while one is under way. */
    void consider(long nowNanos) {
        if (stream == null || !videoSwitch.playing() || videoSwitch.target() != null) {
            return;
        }
        List<RenditionLadder.Rendition> rungs = liveRungs();
        int current = -1;
        long[] bitrates = new long[rungs.size()];
        for (int i = 0; i < bitrates.length; i++) {
            bitrates[i] = rungs.get(i).bitsPerSecond();
            if (rungs.get(i).key().equals(videoSwitch.current().key)) {
                current = i;
            }
        }
        if (current < 0) {
            return;
        }
        int next = policy.choose(bitrates, current, nowNanos);
        if (next != current) {
            moveTo(rungs.get(next).key());
        }
    }

    /**
     * The stream and its renditions that are live now, by bit rate. The stream counts as the
     * best even when a still scene makes its measured rate dip below a rendition's configured one.
     */
    private List<RenditionLadder.Rendition> liveRungs() {
        List<RenditionLadder.Rendition> rungs = new ArrayList<>();
        long top = 0;
        for (RenditionLadder.Rendition r : ladder.renditionsOf(source.key)) {
            Stream s = hub.streams().get(r.key());
            if (s != null && s.publisher() != null) {
                rungs.add(r);
                top = Math.max(top, r.bitsPerSecond());
            }
        }
        if (rungs.isEmpty()) {
            return rungs;
        }
        rungs.sort(Comparator.comparingLong(RenditionLadder.Rendition::bitsPerSecond));
        rungs.add(new RenditionLadder.Rendition(source.key, Math.max(top, stream.stats().bitrateIn())));
        return rungs;
    }

    private void moveTo(StreamKey key) {
        if (key.equals(source.key)) {
            videoSwitch.moveTo(source);
            return;
        }
        target = new RenditionFeed(key);
        videoSwitch.moveTo(target.feed);
        // Replays the rendition's cache at once; its keyframe is older than what was sent, so it waits for the next.
        hub.streams().subscribe(key, target);
    }

    /** The target's keyframe went out: the old rendition, if any, goes. */
    private void switched(VideoFeed before) {
        switches++;
        stop(playing);
        playing = videoSwitch.current() == source ? null : target;
        target = null;
        log.info("{}: video now from {} (was {}), browser estimate {} kbit/s", viewer, videoSwitch.current(), before,
                policy.estimateBps() / 1000);
    }

    /** The stream's publisher left: the ladder goes with it, and the next publisher starts on the stream, on a new timeline. */
    void publisherGone() {
        videoSwitch.restart(source, true);
        stop(playing);
        stop(target);
        playing = null;
        target = null;
    }

    /** A rendition's publisher or stream ended: a move to it is off, and playing it falls back to the stream. */
    private void renditionGone(RenditionFeed feed) {
        if (feed == target) {
            videoSwitch.dropTarget();
            target = null;
        } else if (feed == playing) {
            log.info("{}: rendition {} ended; back to {} at its next keyframe", viewer, feed.feed, source);
            videoSwitch.restart(source, false);
            playing = null;
        } else {
            return;
        }
        stop(feed);
    }

    private static void stop(RenditionFeed feed) {
        if (feed != null) {
            feed.stop();
        }
    }

    void details(Map<String, Object> m) {
        m.put("estimateBps", policy.estimateBps());
        m.put("videoFrom", videoSwitch.current().key.name());
        m.put("renditionSwitches", switches);
    }

    /** The viewer closed: stops reading every rendition. */
    void close() {
        stop(playing);
        stop(target);
    }

    /** A rendition's video, read on the viewer's loop alongside the stream while it is played or moved to. */
    private final class RenditionFeed implements Subscriber {
        final VideoFeed feed;

        RenditionFeed(StreamKey key) {
            this.feed = new VideoFeed(key);
        }

        void stop() {
            if (feed.stream() != null) {
                feed.stream().unsubscribe(this);
            }
            feed.release();
        }

        @Override
        public EventLoop eventLoop() {
            return viewer.eventLoop();
        }

        @Override
        public void onSubscribed(Stream s) {
            feed.subscribed(s, System.nanoTime());
        }

        @Override
        public void onFrame(Frame frame, long nowNanos) {
            if (!viewer.closed() && frame.track() == TrackType.VIDEO) {
                viewer.onVideo(feed, frame);
            }
        }

        @Override
        public void flush() {
            viewer.flush();
        }

        @Override
        public void onPublisherGone() {
            renditionGone(this);
        }

        @Override
        public void onStreamClosed(String reason) {
            renditionGone(this);
        }

        @Override
        public String toString() {
            return feed.toString();
        }
    }
}
