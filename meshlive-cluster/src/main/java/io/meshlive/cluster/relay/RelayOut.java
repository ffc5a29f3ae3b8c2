package io.meshlive.cluster.relay;

import io.meshlive.core.Hub;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.Subscriber;
import io.meshlive.media.Frame;
import io.meshlive.media.TrackType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

import java.util.ArrayList;

/**
 * One stream sent to every downstream node that subscribed to it: a single subscriber of the local
 * stream, whatever the number of nodes below. Each frame's relay body is encoded once (cached on
 * the frame) and its 9-byte prefix once per frame; every node gets both, shared.
 *
 * <p>It keeps the codec configuration and the frames since the last keyframe, so a node
 * subscribing "from sequence N" (after losing its parent) resumes exactly where it stopped when N
 * is still here, and from the keyframe otherwise. A node whose socket is full (beyond its write
 * buffer's high-water mark) skips to the next keyframe, like any viewer. Everything runs on
 * {@link #eventLoop()}.
 */
final class RelayOut implements Subscriber {
    /** Audio-only streams keep this many recent frames for a node that subscribes. */
    private static final int AUDIO_ONLY_TAIL = 24;

    /** A downstream node's subscription to this stream. */
    static final class Downstream {
        final Channel channel;
        final int subscription;
        final long fromEpoch;
        final long fromSequence;
        boolean skipping;
        long skipped;

        Downstream(Channel channel, int subscription, long fromEpoch, long fromSequence) {
            this.channel = channel;
            this.subscription = subscription;
            this.fromEpoch = fromEpoch;
            this.fromSequence = fromSequence;
        }
    }

    private final RelayOuts owner;
    private final Hub hub;
    private final StreamKey key;
    private final int id;
    private final EventLoop loop;
    private final ArrayList<Downstream> downstreams = new ArrayList<>();
    private final Frame[] configs = new Frame[TrackType.values().length];
    private final ArrayList<Frame> recent = new ArrayList<>();
    private boolean hasVideo;
    private Stream stream;
    private boolean dirty;
    /** Guarded by the owner's lock: subscriptions handed to this loop and not yet added. */
    int pending;
    /** Guarded by the owner's lock: dropped from the owner; a late subscription makes a new one. */
    boolean retired;

    RelayOut(RelayOuts owner, Hub hub, StreamKey key, int id, EventLoop loop) {
        this.owner = owner;
        this.hub = hub;
        this.key = key;
        this.id = id;
        this.loop = loop;
    }

    int id() {
        return id;
    }

    StreamKey key() {
        return key;
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    /** On this loop: adds a node and sends it what it missed (configuration and recent frames). */
    void add(Downstream d) {
        downstreams.add(d);
        if (stream == null) {
            // The first node: the stream's own cache replays through onFrame, to this node only.
            stream = hub.streams().subscribe(key, this);
            return;
        }
        for (Frame c : configs) {
            if (c != null) {
                writeOne(d, c, false);
            }
        }
        int start = 0;
        for (int i = 0; i < recent.size(); i++) {
            Frame f = recent.get(i);
            if (f.epoch() == d.fromEpoch && f.sequence() == d.fromSequence) {
                start = i;
                break;
            }
        }
        for (int i = start; i < recent.size(); i++) {
            writeOne(d, recent.get(i), false);
        }
        d.channel.flush();
    }

    /** On this loop: drops a node's subscription (it unsubscribed or its connection closed). */
    void remove(Channel channel, int subscription) {
        downstreams.removeIf(d -> d.channel == channel && (subscription < 0 || d.subscription == subscription));
        if (downstreams.isEmpty() && owner.retireIfIdle(this)) {
            if (stream != null) {
                stream.unsubscribe(this);
                stream = null;
            }
            clearCache();
        }
    }

    @Override
    public void onSubscribed(Stream stream) {
        this.stream = stream;
    }

    @Override
    public void onFrame(Frame frame, long nowNanos) {
        cache(frame);
        if (downstreams.isEmpty()) {
            return;
        }
        ByteBuf body = frame.encoded(RelayFrameFormat.INSTANCE, PooledByteBufAllocator.DEFAULT);
        ByteBuf header = RelayWire.frameHeader(PooledByteBufAllocator.DEFAULT, id, body.readableBytes());
        try {
            for (int i = 0, n = downstreams.size(); i < n; i++) {
                write(downstreams.get(i), frame, true, header, body);
            }
        } finally {
            header.release();
        }
        dirty = true;
    }

    /** A frame to one node only (what it missed when it subscribed). */
    private void writeOne(Downstream d, Frame frame, boolean live) {
        ByteBuf body = frame.encoded(RelayFrameFormat.INSTANCE, PooledByteBufAllocator.DEFAULT);
        ByteBuf header = RelayWire.frameHeader(PooledByteBufAllocator.DEFAULT, id, body.readableBytes());
        try {
            write(d, frame, live, header, body);
        } finally {
            header.release();
        }
    }

    private void write(Downstream d, Frame frame, boolean live, ByteBuf header, ByteBuf body) {
        if (live && !frame.isConfig() && frame.track() != TrackType.DATA) {
            boolean randomAccess = frame.isVideoKeyframe() || (!hasVideo && frame.track() == TrackType.AUDIO);
            if (!d.channel.isWritable()) {
                d.skipping = true;
            } else if (d.skipping && randomAccess) {
                d.skipping = false;
            }
            if (d.skipping) {
                d.skipped++;
                return;
            }
        }
        // One write: from this loop each write is a task on the node's loop, and its pings could
        // land between two separate writes of one message.
        d.channel.write(Unpooled.wrappedBuffer(header.retainedDuplicate(), body.retainedDuplicate()), d.channel.voidPromise());
    }

    private void cache(Frame frame) {
        TrackType track = frame.track();
        if (frame.isConfig()) {
            Frame old = configs[track.ordinal()];
            configs[track.ordinal()] = frame.retain();
            if (old != null) {
                old.release();
            }
            hasVideo |= track == TrackType.VIDEO;
            return;
        }
        if (frame.isVideoKeyframe()) {
            hasVideo = true;
            releaseRecent();
        } else if (hasVideo && recent.isEmpty()) {
            return;
        }
        if (recent.size() >= hub.settings().gopCacheMaxFrames()
                || (!hasVideo && recent.size() >= AUDIO_ONLY_TAIL)) {
            recent.remove(0).release();
        }
        recent.add(frame.retain());
    }

    private void releaseRecent() {
        for (Frame f : recent) {
            f.release();
        }
        recent.clear();
    }

    private void clearCache() {
        releaseRecent();
        for (int i = 0; i < configs.length; i++) {
            if (configs[i] != null) {
                configs[i].release();
                configs[i] = null;
            }
        }
        hasVideo = false;
    }

    @Override
    public void flush() {
        if (!dirty) {
            return;
        }
        dirty = false;
        for (int i = 0, n = downstreams.size(); i < n; i++) {
            downstreams.get(i).channel.flush();
        }
    }

    @Override
    public void onPublisherGone() {
        clearCache();
        for (Downstream d : downstreams) {
            d.channel.writeAndFlush(RelayWire.gone(d.channel.alloc(), id), d.channel.voidPromise());
        }
    }

    @Override
    public void onStreamClosed(String reason) {
        // The stream ended here (forbidden, or nobody published it in time): nodes below hold
        // their viewers and look for the stream elsewhere; a later subscription starts afresh.
        onPublisherGone();
        stream = null;
    }

    /** A viewer below lost its picture: passed to this node's publisher (any thread; publishers rate-limit). */
    void requestKeyframe() {
        Stream s = hub.streams().get(key);
        io.meshlive.core.Session p = s == null ? null : s.publisher();
        if (p != null) {
            p.requestKeyframe();
        }
    }

    /** Nodes this stream is sent to. Racy read, for the API. */
    int downstreamCount() {
        return downstreams.size();
    }
}
