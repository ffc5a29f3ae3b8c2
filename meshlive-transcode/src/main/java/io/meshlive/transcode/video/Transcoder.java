package io.meshlive.transcode.video;

import io.meshlive.core.Hub;
import io.meshlive.core.LatencySummary;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.Subscriber;
import io.meshlive.media.Frame;
import io.meshlive.media.TrackType;
import io.meshlive.transcode.TranscodeException;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ladder of one source stream: a subscriber of the source on one event loop, one decoder
 * thread (each frame decoded once, by its {@link LadderDecoder}), and one {@link Rendition} per
 * rung, each encoding on its own thread. Every picture the source makes a keyframe is an IDR in every rendition.
 *
 * <p>When the decoder falls behind, frames are dropped (counted) up to the next keyframe instead
 * of queued. A frame the decoder rejects as corrupt is logged and skipped, and decoding resumes at
 * the next keyframe; a codec this FFmpeg cannot decode stops the ladder with one log line, and the
 * source plays on untouched.
 */
public final class Transcoder implements Subscriber {
    private static final Logger log = LoggerFactory.getLogger(Transcoder.class);
    private static final int QUEUE_FRAMES = 30;
    private static final long KEYFRAME_REQUEST_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int DEFAULT_FPS = 30;
    private static final Frame STOP = Frame.data(0, io.netty.buffer.Unpooled.EMPTY_BUFFER, 0);

    private final Hub hub;
    private final StreamKey source;
    private final LadderSpec spec;
    private final EventLoop loop;
    // Filled on the loop before the decoder thread starts; read by the API from any thread.
    private final List<Rendition> renditions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final BlockingQueue<Frame> frames = new ArrayBlockingQueue<>(QUEUE_FRAMES);
    private final Thread decoderThread;
    private final AtomicLong lastIdrRequest = new AtomicLong(System.nanoTime() - KEYFRAME_REQUEST_INTERVAL_NANOS);
    private final AtomicLong droppedIn = new AtomicLong();
    private final LadderDecoder decoder;
    /** Why the ladder stopped itself for good; null while it runs. Written on the decoder thread, read by the API. */
    private volatile String disabledBecause;

    // Loop-confined.
    private Stream sourceStream;
    private boolean awaitingKeyframe = true;
    private Frame lastConfig;
    private boolean configOwed;
    private volatile boolean stopped;
    /** Set by the decoder thread once it takes no more frames; whoever sees it releases what is queued. */
    private volatile boolean decoderDone;

    Transcoder(Hub hub, StreamKey source, LadderSpec spec, EventLoop loop) {
        this.hub = hub;
        this.source = source;
        this.spec = spec;
        this.loop = loop;
        this.decoder = new LadderDecoder(source, spec.gopFrames(), renditions, this::disable);
        this.decoderThread = new Thread(this::decodeLoop, "meshlive-decode-" + source);
        decoderThread.setDaemon(true);
    }

    public StreamKey source() {
        return source;
    }

    public LadderSpec spec() {
        return spec;
    }

    /** The stream a rendition is published as. */
    public static StreamKey renditionKey(StreamKey source, RenditionSpec r) {
        return new StreamKey(source.app(), source.name() + "_" + r.name());
    }

    /**
     * The streams {@code spec}'s rungs of {@code source} are published as, in the ladder's order.
     * A rung whose stream name would be too long (a source name near the limit) is left out: it
     * cannot be published, so nobody should look for it either.
     */
    public static Map<RenditionSpec, StreamKey> renditionKeys(StreamKey source, LadderSpec spec) {
        Map<RenditionSpec, StreamKey> keys = new LinkedHashMap<>();
        for (RenditionSpec r : spec.renditions()) {
            try {
                keys.put(r, renditionKey(source, r));
            } catch (IllegalArgumentException nameTooLong) {
                // left out, see above
            }
        }
        return keys;
    }

    /** On the loop: claims the renditions' streams and starts reading the source. */
    void start() {
        if (stopped) {
            return;
        }
        Stream live = hub.streams().get(source);
        double measured = live == null ? 0 : live.stats().frameRate();
        int fps = measured >= 1 ? (int) Math.round(measured) : DEFAULT_FPS;
        Map<RenditionSpec, StreamKey> keys = renditionKeys(source, spec);
        for (RenditionSpec r : spec.renditions()) {
            StreamKey key = keys.get(r);
            if (key == null) {
                log.warn("{}: no {} rendition, the name {}_{} would be longer than a stream name may be", source, r.name(),
                        source.name(), r.name());
                continue;
            }
            Rendition rendition = new Rendition(hub, this, key, r, spec, loop, fps);
            if (rendition.start()) {
                renditions.add(rendition);
            }
        }
        decoderThread.start();
        hub.streams().subscribe(source, this);
        log.info("{}: transcoding to {} with {}{}", source,
                renditions.stream().map(r -> r.stream() + " within " + r.spec().width() + "x" + r.spec().height()).toList(),
                spec.encoder().ffmpegName(), spec.gopFrames() > 0 ? ", an IDR every " + spec.gopFrames() + " frames" : "");
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public void onSubscribed(Stream stream) {
        sourceStream = stream;
    }

    @Override
    public void onFrame(Frame frame, long nowNanos) {
        if (stopped) {
            return;
        }
        if (frame.track() == TrackType.AUDIO) {
            if (spec.copyAudio()) {
                renditions.forEach(r -> r.publishAudio(frame));
            }
        } else if (frame.track() == TrackType.VIDEO) {
            queueVideo(frame);
        } else if (frame.codec() == io.meshlive.media.Codec.CUE) {
            renditions.forEach(r -> r.queueCue(frame));
        }
    }

    /** Hands a video frame to the decoder thread; when it is behind, drops up to the next keyframe. */
    private void queueVideo(Frame frame) {
        if (frame.isConfig()) {
            if (lastConfig != null) {
                lastConfig.release();
            }
            lastConfig = frame.retain();
            configOwed = true;
        } else if (awaitingKeyframe && !frame.isVideoKeyframe()) {
            droppedIn.incrementAndGet();
            return;
        }
        boolean queued = true;
        if (configOwed) {
            queued = frames.offer(lastConfig.retain()) || release(lastConfig);
            configOwed = !queued;
        }
        if (!frame.isConfig()) {
            queued = queued && (frames.offer(frame.retain()) || release(frame));
            awaitingKeyframe = !queued;
            if (!queued) {
                droppedIn.incrementAndGet();
            }
        }
        if (decoderDone) {
            // The decoder stopped by itself (see decodeLoop), maybe after its last drain.
            releaseQueued();
        }
    }

    /** Releases {@code f} and says it was not queued. */
    private static boolean release(Frame f) {
        f.release();
        return false;
    }

    /** Releases the frames left in the queue; safe from both threads (each poll takes a frame once). */
    private void releaseQueued() {
        Frame left;
        while ((left = frames.poll()) != null) {
            if (left != STOP) {
                left.release();
            }
        }
    }

    @Override
    public void flush() {
        renditions.forEach(Rendition::flush);
    }

    @Override
    public void onPublisherGone() {
        // Transcoders stops this ladder when the publisher leaves; the next one starts a new ladder.
    }

    @Override
    public void onStreamClosed(String reason) {
        stop(reason);
    }

    /** Every rendition makes an IDR on the next picture; at most one request per 500 ms. Any thread. */
    boolean requestKeyframe() {
        long now = System.nanoTime();
        long last = lastIdrRequest.get();
        if (now - last < KEYFRAME_REQUEST_INTERVAL_NANOS || !lastIdrRequest.compareAndSet(last, now)) {
            return false;
        }
        decoder.requestIdr();
        return true;
    }

    private void decodeLoop() {
        try {
            Frame f;
            while ((f = frames.take()) != STOP) {
                try {
                    if (f.isConfig()) {
                        decoder.configure(f);
                    } else {
                        decoder.decode(f);
                    }
                } finally {
                    f.release();
                }
            }
        } catch (TranscodeException e) {
            disable("cannot decode: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            decoder.close();
            decoderDone = true;
            releaseQueued();
        }
    }

    /** Stops the ladder for good, with the one line an operator needs. */
    private void disable(String why) {
        log.warn("{}: transcoding disabled for this stream: {}; the source plays on", source, why);
        disabledBecause = why;
        stop(why);
    }


    /** Stops the ladder: unsubscribes, stops every rendition and the decoder. From any thread. */
    void stop(String reason) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> stop(reason));
            return;
        }
        if (stopped) {
            return;
        }
        stopped = true;
        if (sourceStream != null) {
            sourceStream.unsubscribe(this);
        }
        if (lastConfig != null) {
            lastConfig.release();
            lastConfig = null;
        }
        if (!frames.offer(STOP)) {
            decoderThread.interrupt();
        }
        renditions.forEach(r -> r.close(reason));
        log.info("{}: transcoding stopped: {}", source, reason);
    }

    /** What the API and metrics show of this ladder. Any thread. */
    public Status status() {
        Stream in = sourceStream;
        List<RenditionStatus> out = new ArrayList<>();
        for (Rendition r : renditions) {
            RenditionSpec s = r.spec();
            RenditionSize size = r.size();
            out.add(new RenditionStatus(s.name(), r.stream().toString(), size == null ? 0 : size.width(),
                    size == null ? 0 : size.height(), s.bitrateKbps(),
                    round(r.frameRate()), r.dropped(), r.delay()));
        }
        String why = disabledBecause;
        return new Status(source.toString(), why == null ? "running" : "disabled: " + why, spec.encoder().name().toLowerCase(),
                in == null ? 0 : round(in.stats().frameRate()), decoder.decoded(), droppedIn.get(), decoder.corrupt(), out);
    }

    private static double round(double fps) {
        return Math.round(fps * 10) / 10.0;
    }

    /**
     * @param state          "running", or "disabled: " and why (the source cannot be transcoded; it plays on)
     * @param fpsIn          the source's video frame rate
     * @param decodedFrames  pictures decoded so far
     * @param droppedFrames  source frames not decoded because the decoder was behind (or waiting for a keyframe)
     * @param corruptFrames  source frames the decoder rejected
     */
    public record Status(String source, String state, String encoder, double fpsIn, long decodedFrames, long droppedFrames,
                         long corruptFrames, List<RenditionStatus> renditions) {
    }

    /**
     * @param width         the picture size, 0 before the first picture (the source's shape decides it)
     * @param droppedFrames pictures the encoder was too far behind to take
     * @param delayMicros   source frame into the hub to rendition frame into the hub, since the start
     */
    public record RenditionStatus(String name, String stream, int width, int height, int bitrateKbps, double fpsOut,
                                  long droppedFrames, LatencySummary delayMicros) {
    }
}
