package io.meshlive.core;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.MediaFormatException;
import io.meshlive.media.TrackType;
import io.meshlive.media.aac.AacConfig;
import io.meshlive.media.avc.AvcDecoderConfig;
import io.meshlive.media.VideoSize;
import io.meshlive.media.WallClock;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a stream carries and how well it is served: codecs, rates in, and the server-added latency
 * of every egress write (frame arrival to write completed), recorded wait-free from every loop.
 */
public final class StreamStats {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** Latencies are kept in microseconds, up to a minute, with two significant digits. */
    private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(1);

    private final StreamKey key;
    /** One recorder per event loop: each is written by its loop only, so recording takes no atomic update. */
    private final SingleWriterRecorder[] latency;
    /** What each recorder handed over last, given back to it to fill next: no histogram made per read. */
    private final Histogram[] taken;
    private final Histogram latencyTotal = new Histogram(MAX_LATENCY_MICROS, 2);
    /** The interval in progress, as far as it was taken from the loops' recorders. */
    private final Histogram latencyCurrent = new Histogram(MAX_LATENCY_MICROS, 2);
    private volatile Histogram latencyRecent = new Histogram(MAX_LATENCY_MICROS, 2);
    /** How far each frame arrived behind the host's ingest (its origin time), µs; the publisher's loop writes it. */
    private final SingleWriterRecorder behindOrigin = new SingleWriterRecorder(MAX_LATENCY_MICROS, 2);
    private volatile Histogram behindOriginRecent = new Histogram(MAX_LATENCY_MICROS, 2);
    private final LongAdder skippedFrames = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();

    // Written by the publisher's loop only; read racily by stats, which is fine for counters.
    private volatile Codec videoCodec;
    private volatile Codec audioCodec;
    private volatile int width;
    private volatile int videoProfile;
    private volatile int videoConstraints;
    private volatile int videoLevel;
    private volatile int height;
    private volatile int sampleRate;
    private volatile int channels;
    private volatile long publishedSinceMillis;
    private long bytesIn;
    private long framesIn;
    private long windowStartNanos;
    private long windowBytes;
    private int windowVideoFrames;
    /** The dts (µs) of the window's first and last video frames: the frame rate is by media time. */
    private long windowFirstVideoDts;
    private long windowLastVideoDts;
    private volatile long bitrateIn;
    private volatile double frameRate;
    private volatile long bitrateOut;
    private long lastRollNanos = System.nanoTime();
    private long lastRollBytesOut;

    StreamStats(StreamKey key, int loops) {
        this.key = key;
        this.latency = new SingleWriterRecorder[loops];
        for (int i = 0; i < loops; i++) {
            latency[i] = new SingleWriterRecorder(MAX_LATENCY_MICROS, 2);
        }
        this.taken = new Histogram[loops];
    }

    void publisherStarted() {
        publishedSinceMillis = System.currentTimeMillis();
        windowStartNanos = System.nanoTime();
        windowBytes = 0;
        windowVideoFrames = 0;
    }

    void publisherStopped() {
        publishedSinceMillis = 0;
        bitrateIn = 0;
        frameRate = 0;
    }

    void frameIn(Frame frame) {
        int size = frame.payload().readableBytes();
        bytesIn += size;
        framesIn++;
        windowBytes += size;
        if (frame.track() == TrackType.VIDEO) {
            videoCodec = frame.codec();
            if (frame.isConfig()) {
                readVideoConfig(frame);
            } else {
                if (windowVideoFrames++ == 0) {
                    windowFirstVideoDts = frame.dts();
                }
                windowLastVideoDts = frame.dts();
            }
        } else if (frame.track() == TrackType.AUDIO) {
            audioCodec = frame.codec();
            if (frame.isConfig() && frame.codec() == Codec.AAC) {
                readAudioConfig(frame);
            }
        }
        long now = frame.arrivalNanos();
        // Clocks of two hosts may disagree: a frame from "the future" counts as not behind at all.
        behindOrigin.recordValue(Math.min(MAX_LATENCY_MICROS, Math.max(0, WallClock.microsAt(now) - frame.originMicros())));
        long elapsed = now - windowStartNanos;
        if (elapsed >= SECOND) {
            bitrateIn = windowBytes * 8 * SECOND / elapsed;
            // By the frames' own timestamps, not their arrival: a publisher catching up after a stall
            // sends a second's frames in half a second, and that is not a frame rate of 60. A window
            // of one frame (a slide show) has no span: by arrival then.
            long span = windowLastVideoDts - windowFirstVideoDts;
            frameRate = windowVideoFrames > 1 && span > 0 ? (windowVideoFrames - 1) * 1_000_000.0 / span
                    : windowVideoFrames * (double) SECOND / elapsed;
            windowStartNanos = now;
            windowBytes = 0;
            windowVideoFrames = 0;
        }
    }

    /** Resolution (and H.264 profile) for the operator; a config we cannot parse only leaves it unknown. */
    private void readVideoConfig(Frame frame) {
        try {
            if (frame.codec() == Codec.H264) {
                AvcDecoderConfig c = AvcDecoderConfig.parse(frame.payload().duplicate());
                videoProfile = c.profile();
                videoConstraints = c.compatibility();
                videoLevel = c.level();
            }
            if (frame.codec() == Codec.H264 || frame.codec() == Codec.HEVC) {
                VideoSize size = VideoSize.of(frame);
                width = size.width();
                height = size.height();
            }
        } catch (MediaFormatException e) {
            width = 0;
            height = 0;
            videoProfile = 0;
            videoConstraints = 0;
            videoLevel = 0;
        }
    }

    private void readAudioConfig(Frame frame) {
        try {
            AacConfig c = AacConfig.parse(frame.payload().duplicate());
            sampleRate = c.sampleRate();
            channels = c.channels();
        } catch (MediaFormatException e) {
            sampleRate = 0;
            channels = 0;
        }
    }

    /** Records one egress write's server-added latency; on event loop {@code loop} only. */
    public void recordLatency(int loop, long nanos) {
        latency[loop].recordValue(Math.min(MAX_LATENCY_MICROS, Math.max(0, nanos / 1000)));
    }

    public void frameSkipped() {
        skippedFrames.increment();
    }

    public void bytesOut(long n) {
        bytesOut.add(n);
    }

    /**
     * Closes the current interval: its latency becomes {@link #recentLatency()} and is added to
     * {@link #totalLatency()}, and the egress bit rate over it becomes {@link #bitrateOut()}.
     * Called by the node's stats reporter, one thread.
     */
    public synchronized void rollInterval() {
        long now = System.nanoTime();
        long out = bytesOut.sum();
        if (now > lastRollNanos) {
            bitrateOut = (out - lastRollBytesOut) * 8 * SECOND / (now - lastRollNanos);
        }
        lastRollNanos = now;
        lastRollBytesOut = out;
        takeRecorded();
        latencyRecent = latencyCurrent.copy();
        latencyCurrent.reset();
        behindOriginRecent = behindOrigin.getIntervalHistogram();
    }

    /** Moves what the loops recorded since the last call into the current interval and the total. */
    private void takeRecorded() {
        for (int i = 0; i < latency.length; i++) {
            // A recycled histogram must come from the same recorder: each loop's is kept apart.
            taken[i] = taken[i] == null ? latency[i].getIntervalHistogram() : latency[i].getIntervalHistogram(taken[i]);
            latencyCurrent.add(taken[i]);
            latencyTotal.add(taken[i]);
        }
    }

    /**
     * How far behind the host's ingest frames reached this node over the last stats interval, in
     * microseconds: 0 on the origin, the sum of every relay hop's delay elsewhere.
     */
    public LatencySummary behindOrigin() {
        return LatencySummary.of(behindOriginRecent);
    }

    /** Latency of the last closed interval, in microseconds. */
    public Histogram recentLatency() {
        return latencyRecent;
    }

    /** Percentiles of the latency since the stream appeared, up to now, without copying the histogram. */
    public synchronized LatencySummary totalLatency() {
        takeRecorded();
        return LatencySummary.of(latencyTotal);
    }

    public StreamKey key() {
        return key;
    }

    public Codec videoCodec() {
        return videoCodec;
    }

    public Codec audioCodec() {
        return audioCodec;
    }

    /** H.264 profile_idc, constraint flags and level_idc from the stream's avcC; 0 when unknown. */
    public int videoProfile() {
        return videoProfile;
    }

    public int videoConstraints() {
        return videoConstraints;
    }

    public int videoLevel() {
        return videoLevel;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int channels() {
        return channels;
    }

    public long publishedSinceMillis() {
        return publishedSinceMillis;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long framesIn() {
        return framesIn;
    }

    public long bitrateIn() {
        return bitrateIn;
    }

    public double frameRate() {
        return frameRate;
    }

    /** Bits per second written to viewers over the last stats interval. */
    public long bitrateOut() {
        return bitrateOut;
    }

    public long skippedFrames() {
        return skippedFrames.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }
}
