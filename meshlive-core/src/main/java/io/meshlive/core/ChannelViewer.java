package io.meshlive.core;

import io.meshlive.media.Frame;
import io.meshlive.media.FrameFormat;
import io.meshlive.media.TrackType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * A viewer on a Netty channel that receives a stream in one {@link FrameFormat}: RTMP play,
 * HTTP-FLV and WebSocket-FLV are all this class with a different format.
 *
 * <p>Per frame it writes a retained duplicate of the stream's shared encoding, nothing else. It
 * keeps the arrival time of every frame written but not yet on the wire, which gives both the
 * latency histogram (arrival to write completed) and the budget check: when the oldest unsent
 * frame is older than the budget, or the channel's buffer is over its high-water mark, the viewer
 * stops sending and resumes at the next keyframe once it has caught up. Skipped frames are counted.
 */
public class ChannelViewer extends Session implements Subscriber, ChannelFutureListener {
    private static final Logger log = LoggerFactory.getLogger(ChannelViewer.class);
    /** Frames written and not yet on the wire that we keep times for; more counts as behind. */
    private static final int RING = 256;
    private static final int MASK = RING - 1;

    protected final Channel channel;
    protected final Hub hub;
    private final FrameFormat format;
    private final StreamKey key;
    private final long budgetNanos;
    private final long stallNanos;
    private Stream subscribed;
    private StreamStats stats;
    private int loop;

    // Loop-confined.
    private final long[] pendingArrivals = new long[RING];
    private final int[] batchEnds = new int[RING];
    private int pendingHead;
    private int pendingTail;
    private int batchHead;
    private int batchTail;
    private int markedTail;
    private long subscribedNanos;
    private boolean expectVideo;
    private boolean started;
    private boolean skipping;
    private long skippingSinceNanos;
    private boolean paused;
    private boolean dirty;
    private boolean closed;
    private long skipped;

    public ChannelViewer(String protocol, Channel channel, Hub hub, StreamKey key, FrameFormat format) {
        super(protocol, Role.VIEWER, String.valueOf(channel.remoteAddress()));
        this.channel = channel;
        this.hub = hub;
        this.key = key;
        this.format = format;
        this.budgetNanos = TimeUnit.MILLISECONDS.toNanos(hub.settings().latencyBudgetMillis());
        this.stallNanos = TimeUnit.MILLISECONDS.toNanos(hub.settings().stallTimeoutMillis());
        this.stream = key;
    }

    /** Joins the stream; on the channel's loop. The cached GOP is written before this returns. */
    public void start() {
        hub.sessions().add(this);
        channel.closeFuture().addListener(f -> leave("connection closed"));
        subscribedNanos = System.nanoTime();
        hub.streams().subscribe(key, this);
        log.info("{} started", this);
    }

    @Override
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    @Override
    public void onSubscribed(Stream stream) {
        this.subscribed = stream;
        this.stats = stream.stats();
        this.loop = stream.workers().indexOf(channel.eventLoop());
    }

    @Override
    public void onFrame(Frame frame, long nowNanos) {
        if (closed) {
            return;
        }
        TrackType track = frame.track();
        if (frame.isConfig() || track == TrackType.DATA) {
            expectVideo |= track == TrackType.VIDEO;
            write(frame);
            return;
        }
        boolean randomAccess = track == TrackType.VIDEO ? frame.isKeyframe() : !expectVideo;
        if (track == TrackType.VIDEO) {
            expectVideo = true;
        }
        if (paused) {
            return;
        }
        if (!started) {
            if (!randomAccess) {
                return;
            }
            started = true;
        }
        boolean behind = behind(nowNanos);
        if (skipping) {
            if (behind || !randomAccess) {
                skip(nowNanos);
                return;
            }
            skipping = false;
            log.debug("{} caught up after skipping", this);
        } else if (behind) {
            skipping = true;
            skippingSinceNanos = nowNanos;
            log.debug("{} fell behind its {} ms budget, skipping to the next keyframe", this, budgetNanos / 1_000_000);
            skip(nowNanos);
            return;
        }
        write(frame);
    }

    private boolean behind(long nowNanos) {
        if (!channel.isWritable() || pendingTail - pendingHead >= RING - 1) {
            return true;
        }
        if (pendingTail == pendingHead) {
            return false;
        }
        long oldest = Math.max(pendingArrivals[pendingHead & MASK], subscribedNanos);
        return nowNanos - oldest > budgetNanos;
    }

    private void skip(long nowNanos) {
        skipped++;
        stats.frameSkipped();
        if (nowNanos - skippingSinceNanos > stallNanos) {
            close("stalled: behind its latency budget for " + (stallNanos / 1_000_000) + " ms");
        }
    }

    private void write(Frame frame) {
        // Encoded forms come from the pooled allocator, whose duplicates are recycled: no garbage per viewer.
        ByteBuf bytes = frame.encoded(format, PooledByteBufAllocator.DEFAULT).retainedDuplicate();
        int n = bytes.readableBytes();
        channel.write(bytes, channel.voidPromise());
        bytesOut += n;
        stats.bytesOut(n);
        if (pendingTail - pendingHead < RING - 1) {
            pendingArrivals[pendingTail++ & MASK] = frame.arrivalNanos();
        }
        dirty = true;
    }

    @Override
    public void flush() {
        if (!dirty || closed) {
            return;
        }
        dirty = false;
        channel.flush();
        ChannelOutboundBuffer unsent = channel.unsafe().outboundBuffer();
        if (batchHead == batchTail && (unsent == null || unsent.isEmpty())) {
            // The usual case: the socket took everything during flush(), so the writes completed now.
            completed(pendingTail, System.nanoTime());
        } else if (pendingTail != markedTail) {
            // The socket is full: an empty write after the data completes when all before it is sent.
            ChannelPromise done = channel.newPromise();
            batchEnds[batchTail++ & MASK] = pendingTail;
            markedTail = pendingTail;
            done.addListener(this);
            channel.write(Unpooled.EMPTY_BUFFER, done);
            channel.flush();
        }
    }

    @Override
    public void operationComplete(ChannelFuture future) {
        int end = batchEnds[batchHead++ & MASK];
        if (future.isSuccess()) {
            completed(end, System.nanoTime());
        } else if (end - pendingHead > 0) {
            pendingHead = end;
        }
    }

    /** Frames up to {@code end} are on the wire: record how long each took from arrival. */
    private void completed(int end, long nowNanos) {
        if (end - pendingHead <= 0) {
            return;
        }
        for (int i = pendingHead; i != end; i++) {
            long arrival = pendingArrivals[i & MASK];
            if (arrival >= subscribedNanos) {
                stats.recordLatency(loop, nowNanos - arrival);
            }
        }
        pendingHead = end;
        if (end - markedTail > 0) {
            markedTail = end;
        }
    }

    /** Pauses or resumes delivery (RTMP pause); resuming starts at the next keyframe. */
    public void setPaused(boolean paused) {
        this.paused = paused;
        if (!paused) {
            started = false;
            skipping = false;
        }
    }

    @Override
    public void onPublisherGone() {
        started = false;
        skipping = false;
        expectVideo = false;
    }

    @Override
    public void onStreamClosed(String reason) {
        close(reason);
    }

    @Override
    public long skippedFrames() {
        return skipped;
    }

    @Override
    public void close(String reason) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> close(reason));
            return;
        }
        leave(reason);
        channel.close();
    }

    private void leave(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        hub.sessions().remove(this);
        if (subscribed != null) {
            subscribed.unsubscribe(this);
            log.info("{} left after {} bytes, {} skipped frames ({})", this, bytesOut, skipped, reason);
        }
    }
}
