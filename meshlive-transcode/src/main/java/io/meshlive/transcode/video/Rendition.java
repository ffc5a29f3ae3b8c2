package io.meshlive.transcode.video;

import io.meshlive.core.DerivedSource;
import io.meshlive.core.Hub;
import io.meshlive.core.LatencySummary;
import io.meshlive.core.PublishOutcome;
import io.meshlive.core.Session;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.StreamRegistry;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.transcode.TranscodeException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCounted;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;

/**
 * One rung of a ladder: scales and encodes the decoded pictures on its own thread and publishes
 * them as the stream {@code {source}_{name}}, of which it is the publisher session. Encoded frames
 * go back to the hub on the transcoder's event loop, keeping the source frame's pts and arrival
 * time, so the hub's latency figures include the transcode.
 *
 * <p>At most {@link #QUEUE_PICTURES} pictures wait for the encoder; when it falls behind, pictures
 * between keyframes are dropped and counted rather than queued ({@link PictureQueue}), so the
 * rendition's GOPs still start where the source's and its siblings' do.
 */
final class Rendition extends Session implements DerivedSource {
    private static final Logger log = LoggerFactory.getLogger(Rendition.class);
    private static final int QUEUE_PICTURES = 2;

    private final Hub hub;
    private final Transcoder owner;
    private final RenditionSpec spec;
    private final LadderSpec ladder;
    private final EventLoop loop;
    private final int fps;
    /** Decoded pictures (our own references) on their way to the encoder. */
    private final PictureQueue<AVFrame> pictures = new PictureQueue<>(QUEUE_PICTURES, f -> av_frame_free(f));
    private final DelayStats delay = new DelayStats();
    private final Thread encoderThread;

    // Set by the decoder thread before it offers the first picture; read by the encoder thread and the API.
    private volatile RenditionSize size;
    // Loop-confined.
    private Stream target;
    /** On the loop: the source's cues, each waiting for this rendition's frame at its pts. */
    private final java.util.ArrayDeque<Frame> cues = new java.util.ArrayDeque<>();
    private boolean configSent;
    private volatile boolean closed;
    /** Set by the encoder thread once it takes no more pictures; whoever sees it frees what is queued. */
    private volatile boolean encoderDone;

    Rendition(Hub hub, Transcoder owner, StreamKey key, RenditionSpec spec, LadderSpec ladder, EventLoop loop, int fps) {
        super("transcode", Role.PUBLISHER, ladder.encoder().name().toLowerCase() + " ladder of " + owner.source());
        this.hub = hub;
        this.owner = owner;
        this.spec = spec;
        this.ladder = ladder;
        this.loop = loop;
        this.fps = fps;
        this.stream = key;
        this.encoderThread = new Thread(this::encodeLoop, "meshlive-encode-" + key);
        encoderThread.setDaemon(true);
    }

    RenditionSpec spec() {
        return spec;
    }

    /** On the loop: claims the rendition's stream and starts encoding; false when it is taken. */
    boolean start() {
        StreamRegistry.Attached attached = hub.streams().attachPublisher(stream, this);
        if (attached.outcome() == PublishOutcome.BUSY) {
            log.warn("{}: not transcoding into it, another publisher has it", stream);
            closed = true;
            return false;
        }
        target = attached.stream();
        hub.sessions().add(this);
        encoderThread.start();
        return true;
    }

    /**
     * From the decoder thread: queues our own reference to a picture, or frees it (counted as a drop
     * when the encoder is behind).
     */
    void offer(AVFrame reference, long arrivalNanos, boolean idr) {
        if (closed || encoderDone) {
            av_frame_free(reference);
            return;
        }
        pictures.offer(reference, arrivalNanos, idr);
        if (encoderDone) {
            // The encoder stopped between the check and the offer, maybe after its last drain.
            pictures.drain();
        }
    }

    /**
     * From the decoder thread, before the first picture: the size the source's first picture gives
     * this rung, or null when the rung is larger than the source (then the caller closes it).
     */
    RenditionSize fitTo(AVFrame picture) {
        size = RenditionSize.fit(spec.width(), spec.height(), picture.width(), picture.height(),
                picture.sample_aspect_ratio().num(), picture.sample_aspect_ratio().den());
        return size;
    }

    /** The picture size once the first picture set it, else null. */
    RenditionSize size() {
        return size;
    }

    private void encodeLoop() {
        // Opened with the first picture, whose size fitTo has read: the source's size is not known before.
        Scaler scaler = null;
        VideoEncoder encoder = null;
        try {
            PictureQueue.Entry<AVFrame> p;
            while (!pictures.isEnd(p = pictures.take())) {
                try {
                    if (encoder == null) {
                        scaler = new Scaler(size.width(), size.height());
                        encoder = VideoEncoder.open(ladder.encoder(), ladder.preset(), size, spec.bitsPerSecond(), fps);
                        ByteBuf config = encoder.config(PooledByteBufAllocator.DEFAULT);
                        toLoop(config, () -> publishConfig(config));
                    }
                    AVFrame picture = scaler.passThrough(p.picture()) ? p.picture() : scaler.scale(p.picture());
                    long arrival = p.arrivalNanos();
                    encoder.encode(picture, p.keyframe(), (unit, pts, keyframe) -> handBack(unit, pts, keyframe, arrival));
                } finally {
                    av_frame_free(p.picture());
                }
            }
        } catch (TranscodeException e) {
            log.warn("{}: encoding stopped: {}", stream, e.getMessage());
            close("encoder failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (encoder != null) {
                encoder.close();
            }
            if (scaler != null) {
                scaler.close();
            }
            encoderDone = true;
            pictures.drain();
        }
    }

    /** On the encoder thread: wraps an access unit as a hub frame for the loop to publish. */
    private void handBack(ByteBuffer unit, long pts, boolean keyframe, long arrivalNanos) {
        ByteBuf payload = PooledByteBufAllocator.DEFAULT.buffer(unit.remaining() + 16);
        AnnexB.writeLengthPrefixed(unit, payload);
        // No B-frames: decode order is presentation order, so dts is the pts.
        Frame frame = Frame.media(Codec.H264, pts, pts, keyframe, payload, arrivalNanos);
        toLoop(frame, () -> publish(frame));
    }

    /** Runs {@code task}, which owns {@code held}, on the loop; releases it when the loop no longer runs tasks (shutdown). */
    private void toLoop(ReferenceCounted held, Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException shuttingDown) {
            held.release();
        }
    }

    private void publishConfig(ByteBuf config) {
        if (closed) {
            config.release();
            return;
        }
        target.publish(Frame.config(Codec.H264, 0, config, System.nanoTime()));
        configSent = true;
    }

    private void publish(Frame frame) {
        if (closed || !configSent) {
            frame.release();
            return;
        }
        bytesIn += frame.payload().readableBytes();
        delay.record(System.nanoTime() - frame.arrivalNanos());
        while (!cues.isEmpty() && cues.peekFirst().pts() <= frame.pts()) {
            target.publish(cues.pollFirst()); // just before the encoded frame of the same source frame
        }
        target.publish(frame);
        target.endOfBatch();
    }

    /**
     * On the loop: a cue of the source, to go out just before this rendition's encoding of the
     * frame it belongs to (same pts: the encoder keeps the source's timestamps), however late the
     * encoder hands that frame back.
     */
    void queueCue(Frame cue) {
        if (closed || target == null) {
            return;
        }
        if (cues.size() >= MAX_QUEUED_CUES) {
            cues.pollFirst().release(); // an encoder this far behind has dropped their frames anyway
        }
        cues.addLast(cue.retain());
    }

    /** Cues waiting for encoded frames: a few seconds of a busy cue stream. */
    private static final int MAX_QUEUED_CUES = 64;

    /** On the loop: the source's audio, as it is (its config frame may come before our video's). */
    void publishAudio(Frame frame) {
        if (!closed && target != null) {
            target.publish(frame.forAnotherStream()); // numbered in the rendition's sequence, not the source's
        }
    }

    /** On the loop: the end of a batch of the source's frames. */
    void flush() {
        if (!closed && target != null) {
            target.endOfBatch();
        }
    }

    /** A WebRTC viewer lost its picture: every rendition makes an IDR, so they stay aligned. */
    @Override
    public boolean requestKeyframe() {
        return owner.requestKeyframe();
    }

    long dropped() {
        return pictures.discarded();
    }

    LatencySummary delay() {
        return delay.summary();
    }

    /** The frame rate the rendition's stream receives, or 0. */
    double frameRate() {
        Stream t = target;
        return t == null ? 0 : t.stats().frameRate();
    }

    @Override
    public java.util.Map<String, Object> details() {
        return java.util.Map.of("source", owner.source().toString(), "droppedFrames", pictures.discarded());
    }

    /** Stops this rendition only (kicked, forbidden, failed); from any thread. */
    @Override
    public void close(String reason) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> close(reason));
            return;
        }
        if (closed) {
            return;
        }
        closed = true;
        cues.forEach(Frame::release);
        cues.clear();
        if (!pictures.end()) {
            encoderThread.interrupt();
        }
        if (target != null) {
            target.detachPublisher(this);
            hub.sessions().remove(this);
        }
        log.info("{}: rendition stopped: {}", stream, reason);
    }
}
