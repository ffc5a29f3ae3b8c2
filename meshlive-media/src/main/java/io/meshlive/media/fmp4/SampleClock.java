package io.meshlive.media.fmp4;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.TrackType;

/**
 * One track's decode timeline in its fMP4 timescale, kept exact across fragments. The hub's
 * timestamps come from RTMP/FLV rounded to the millisecond, so converting each one gives AAC
 * samples of 1008 or 1056 ticks instead of 1024 and 30 fps video of 2970 or 3060 instead of 3000,
 * and a part's last sample overlaps the next part's first. Here every sample sits on a grid of
 * the codec's frame duration (1024 samples per AAC frame in the AAC core rate, which is also the
 * right count for HE-AAC, whose SBR doubles only the output rate), or for video and Opus the
 * frame duration measured over the run (snapped to a standard frame rate once the measurement is
 * that precise). A source time farther than a quarter frame from its grid point (a gap, an
 * encoder restart, a clock that drifts from its sample count) starts a new grid at the source
 * time, so the timeline never drifts from the source. A missing frame leaves a gap of a frame.
 *
 * <p>One track of one output; not thread-safe.
 */
public final class SampleClock {
    /** Samples per AAC frame (ISO/IEC 14496-3; 960-sample frames are not used in streaming). */
    static final int AAC_FRAME_SAMPLES = 1024;
    /**
     * Frame durations at 90 kHz of common video rates, most likely first (whole rates before their
     * 1000/1001 twins, which millisecond timestamps tell apart only after a couple of seconds):
     * 30, 25, 60, 24, 50, 15, 10, 12.5, 48, 120, then 29.97, 59.94, 23.976 fps.
     */
    private static final double[] STANDARD_VIDEO_TICKS = {
            3000, 3600, 1500, 3750, 1800, 6000, 9000, 7200, 1875, 750, 3003, 1501.5, 3753.75};

    /** Frames a new run (after a gap or a jump) measures before its own rate replaces the old estimate. */
    private static final long RUN_TO_REMEASURE = 30;

    private final int timescale;
    /** The codec fixes the frame duration (AAC): never measured. */
    private final boolean fixed;
    /** Standard frame durations, most likely first: a measurement within its error of one is that one. */
    private final double[] standard;
    private double frameTicks;
    /** How many frames the current estimate was measured over: a shorter run does not replace it. */
    private long estimateFrames;
    private boolean anchored;
    /** Where the current run started, in source ticks: frame counts from here measure the rate. */
    private long runStart;
    /** The grid: frame {@code index} of the run sits at {@code gridTicks + (index - gridIndex) * frameTicks}. */
    private long gridTicks;
    private long gridIndex;
    private long lastDts;
    private long lastTicks;
    private long lastIndex;

    private SampleClock(int timescale, double frameTicks, double[] standard) {
        this.timescale = timescale;
        this.frameTicks = frameTicks;
        this.fixed = frameTicks > 0;
        this.standard = standard;
    }

    /** The clock of the track {@code config} (a config frame) describes, in {@link Timescale#of} its timescale. */
    public static SampleClock of(Frame config) {
        if (config.track() == TrackType.VIDEO) {
            return video();
        }
        int timescale = Timescale.of(config);
        return config.codec() == Codec.AAC ? new SampleClock(timescale, AAC_FRAME_SAMPLES, new double[0])
                : new SampleClock(timescale, 0, new double[0]);
    }

    /** A video clock at 90 kHz, its frame rate measured. */
    public static SampleClock video() {
        return new SampleClock(Timescale.VIDEO, 0, STANDARD_VIDEO_TICKS);
    }

    /**
     * The decode time in ticks of the next frame of the track, whose hub dts is {@code dtsMicros}.
     * Asking again for the dts just placed gives the same answer (a part's end is the next part's
     * first frame).
     */
    public long place(long dtsMicros) {
        if (anchored && dtsMicros == lastDts) {
            return lastTicks;
        }
        long source = Timescale.ticks(dtsMicros, timescale);
        if (!anchored || source <= lastTicks) {
            anchor(source);
        } else {
            if (frameTicks <= 0) { // the second frame of a track: its distance is the first estimate
                frameTicks = snap(source - lastTicks, 1);
                estimateFrames = 1;
            }
            long index = lastIndex + Math.max(1, Math.round((source - lastTicks) / frameTicks));
            if (Math.abs(source - grid(index)) > frameTicks / 4) {
                anchor(source);
            } else {
                if (!fixed && index > estimateFrames) {
                    double measured = snap((double) (source - runStart) / index, index);
                    if (measured != frameTicks) { // the grid goes on from the last frame at the new rate
                        gridTicks = lastTicks;
                        gridIndex = lastIndex;
                        frameTicks = measured;
                    }
                    estimateFrames = index;
                }
                lastIndex = index;
                lastTicks = Math.max(lastTicks + 1, grid(index));
            }
        }
        lastDts = dtsMicros;
        return lastTicks;
    }

    /**
     * Where the last placed frame ends: at {@code endDts} when that is a later frame's dts
     * (placed, so the next fragment starts there), else one frame duration on.
     */
    public long end(long endDts) {
        if (anchored && endDts > lastDts) {
            return place(endDts);
        }
        return lastTicks + Math.round(Math.max(0, frameTicks));
    }

    /** A composition offset (pts - dts) in ticks, on the frame grid when it is within a quarter frame of it. */
    public long compositionOffset(long ptsMinusDtsMicros) {
        long raw = Math.floorDiv(ptsMinusDtsMicros * timescale, 1_000_000L);
        if (frameTicks <= 0) {
            return raw;
        }
        long frames = Math.round(raw / frameTicks);
        long snapped = Math.round(frames * frameTicks);
        return Math.abs(raw - snapped) <= frameTicks / 4 ? snapped : raw;
    }

    private long grid(long index) {
        return gridTicks + Math.round((index - gridIndex) * frameTicks);
    }

    private void anchor(long source) {
        anchored = true;
        runStart = source;
        gridTicks = source;
        gridIndex = 0;
        lastTicks = source;
        lastIndex = 0;
        // A new run keeps the old estimate until it has measured over a second of frames itself
        // (the rate may have changed with the source).
        estimateFrames = Math.min(estimateFrames, RUN_TO_REMEASURE);
    }

    /**
     * A standard frame duration when the measured mean is within what millisecond-rounded
     * timestamps allow over {@code frames} frames, else the mean itself.
     */
    private double snap(double mean, long frames) {
        double bound = timescale / 1000.0 / frames;
        for (double s : standard) {
            if (Math.abs(mean - s) <= bound) {
                return s;
            }
        }
        return mean;
    }
}
