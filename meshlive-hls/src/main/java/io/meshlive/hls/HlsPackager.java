package io.meshlive.hls;

import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.Subscriber;
import io.meshlive.media.fmp4.Fmp4Init;
import io.meshlive.media.fmp4.SampleClock;
import io.meshlive.hls.playlist.CueDateRange;
import io.meshlive.hls.segment.Segmenter;
import io.meshlive.hls.serve.BlockingReloads;
import io.meshlive.hls.serve.PartPosition;
import io.meshlive.hls.ts.TsMuxer;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.TrackType;
import io.meshlive.media.cue.Cue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One stream's HLS output in one flavour, built once for every player and kept in memory: it
 * subscribes to the hub like a viewer, cuts segments (and parts) with a {@link Segmenter}, muxes
 * them, and keeps a sliding window. Segments and parts appear the moment their last frame
 * arrives; nothing touches a disk. Everything runs on the packager's event loop.
 */
public final class HlsPackager implements Subscriber {
    private static final Logger log = LoggerFactory.getLogger(HlsPackager.class);
    private final Flavour flavour;
    private final HlsSettings settings;
    private final EventLoop loop;
    private final StreamKey key;
    /** Started for a stream not live here, so that the hub pulls it from another node. */
    private final boolean waitsForPull;
    /** A media frame has arrived: set once, on the loop; read from any thread. */
    private volatile boolean fed;
    private final BlockingReloads reloads;
    private final HlsWindow window;
    private final ProgramDates dates;
    private final Set<Codec> skippedCodecs = EnumSet.noneOf(Codec.class);
    private Stream stream;

    private Frame videoConfig;
    private Frame audioConfig;
    private Segmenter segmenter;
    private TsMuxer ts;
    private ByteBuf init;
    /** Each track's exact fMP4 timeline, kept from part to part (CMAF). */
    private SampleClock videoClock;
    private SampleClock audioClock;
    /** The MPEG-TS segment being written (TS). */
    private ByteBuf segmentBytes;
    private final CmafPartBuilder part = new CmafPartBuilder();
    /** Cues received, waiting for the video frame they go before. */
    private final List<Cue> pendingCues = new ArrayList<>();
    /** When the frame being segmented arrived at this node (System.nanoTime()): a segment it starts is dated by it. */
    private long accepting;
    /** The next segment follows a new timeline (publisher restart, new codec parameters). */
    private boolean pendingDiscontinuity;
    // Written by requests for this stream and by its siblings' rendition reports, from any loop.
    private volatile long lastRequestNanos = System.nanoTime();
    /** The newest part announced (LL-HLS), or null: what a sibling's rendition report says of this stream. */
    private volatile PartPosition lastPart;
    private boolean closed;
    /**
     * The newest cut not yet announced to parked requests. A frame that closes a segment ends its
     * last part, closes the segment and opens the next one in one go; answering parked requests
     * between those steps would hand out a playlist that still shows the closed segment in progress,
     * with a preload hint for a part of it that never comes. So cuts are announced once the
     * segmenter is done with the frame, when the hint names the next segment's first part.
     */
    private PartPosition unannounced;
    private boolean unannouncedCompletesSegment;

    HlsPackager(Flavour flavour, HlsSettings settings, EventLoop loop, StreamKey key, boolean waitsForPull) {
        this.flavour = flavour;
        this.waitsForPull = waitsForPull;
        this.settings = settings;
        this.loop = loop;
        this.key = key;
        this.reloads = new BlockingReloads(loop, settings.blockingTimeoutMillis());
        this.window = new HlsWindow(flavour, settings, key);
        // Dates continue by media time while within a quarter of a segment of the arrivals.
        this.dates = new ProgramDates((flavour == Flavour.TS ? settings.segmentMillis() : settings.llSegmentMillis()) / 4);
    }

    StreamKey key() {
        return key;
    }

    /** The newest part announced, or null before the first; any thread. */
    PartPosition lastPart() {
        return lastPart;
    }

    Flavour flavour() {
        return flavour;
    }

    BlockingReloads reloads() {
        return reloads;
    }

    /** What this packager keeps for players; read on its loop. */
    HlsWindow window() {
        return window;
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public void onSubscribed(Stream stream) {
        this.stream = stream;
    }

    @Override
    public void onFrame(Frame frame, long nowNanos) {
        if (closed) {
            return;
        }
        if (frame.isConfig()) {
            config(frame);
            return;
        }
        if (frame.track() == TrackType.DATA) {
            if (frame.codec() == Codec.CUE) {
                pendingCues.add(Cue.read(frame.payload())); // written with its video frame
            }
            return;
        }
        if (segmenter == null) {
            if ((frame.track() == TrackType.VIDEO ? videoConfig : audioConfig) == null) {
                // Its track's configuration has not come yet (a relay's first frames, a publisher
                // that sends it late): a frame no init segment can describe is not packaged.
                return;
            }
            start();
        }
        accepting = frame.arrivalNanos();
        segmenter.accept(frame);
        announceCuts();
    }

    private void cut(PartPosition position, boolean completesSegment) {
        unannounced = position;
        unannouncedCompletesSegment = completesSegment;
    }

    private void announceCuts() {
        if (unannounced != null) {
            PartPosition p = unannounced;
            unannounced = null;
            if (p.part() >= 0) {
                lastPart = p;
            }
            reloads.produced(p, unannouncedCompletesSegment);
        }
    }

    private void config(Frame frame) {
        TrackType track = frame.track();
        if (track == TrackType.DATA) {
            return;
        }
        Frame old = track == TrackType.VIDEO ? videoConfig : audioConfig;
        if (track == TrackType.VIDEO) {
            videoConfig = frame.retain();
        } else {
            audioConfig = frame.retain();
        }
        boolean changed = old == null || !old.payload().equals(frame.payload());
        if (old != null) {
            old.release();
        }
        if (changed && segmenter != null) {
            // New codec parameters, or a track the init segment left out: a new init segment, after a discontinuity.
            restart();
            announceCuts();
        }
    }

    private void start() {
        fed = true;
        try {
            if (flavour == Flavour.TS) {
                ts = new TsMuxer(videoConfig, audioConfig);
            } else {
                if (init != null) {
                    init.release();
                }
                init = PooledByteBufAllocator.DEFAULT.directBuffer(1024);
                Fmp4Init.write(videoConfig, audioConfig, init);
                videoClock = SampleClock.video();
                audioClock = audioConfig == null ? null : SampleClock.of(audioConfig);
            }
        } catch (IllegalArgumentException e) { // MediaFormatException included
            // A half-written init segment must not be served, nor let fragments be cut against it.
            if (init != null) {
                init.release();
                init = null;
            }
            log.warn("{}: cannot package for HLS ({}); its HLS output stays empty", key, e.getMessage());
        }
        long target = TimeUnit.MILLISECONDS.toMicros(flavour == Flavour.TS ? settings.segmentMillis() : settings.llSegmentMillis());
        long part = flavour == Flavour.TS ? 0 : TimeUnit.MILLISECONDS.toMicros(settings.partMillis());
        segmenter = new Segmenter(target, part, videoConfig != null, new Cuts());
    }

    private void restart() {
        segmenter.end();
        segmenter = null;
        pendingDiscontinuity = true;
    }

    /** The segmenter's decisions, turned into bytes. */
    private final class Cuts implements Segmenter.Listener {
        @Override
        public void segmentStarted(long sequence, long firstDts, boolean discontinuity) {
            long seq = window.nextSequence(sequence);
            boolean disc = (discontinuity || pendingDiscontinuity) && !window.isEmpty();
            pendingDiscontinuity = false;
            // EXT-X-PROGRAM-DATE-TIME: when the segment's first frame reached this node, as its
            // prft says, not when it was packaged: a packager started by a viewer begins with
            // the GOP cache, seconds old. Renditions keep their source frame's arrival, so they
            // agree. Later segments continue the first one's date by their media time.
            window.open(new HlsWindow.SegmentData(seq, firstDts, dates.date(firstDts, wallClockMillis(accepting), !disc), disc));
            if (flavour == Flavour.TS && ts != null) {
                segmentBytes = ts.segmentStart(PooledByteBufAllocator.DEFAULT);
            }
        }

        @Override
        public void partStarted(long sequence, int index, boolean independent) {
            part.start(independent);
        }

        @Override
        public void frame(Frame frame) {
            if (!pendingCues.isEmpty() && (frame.track() == TrackType.VIDEO || videoConfig == null)) {
                placeCues(frame);
            }
            if (flavour == Flavour.TS) {
                if (ts == null || !ts.carries(frame.codec())) {
                    skipOnce(frame.codec());
                    return;
                }
                try {
                    ts.write(frame, segmentBytes);
                } catch (IllegalArgumentException e) { // MediaFormatException: the muxer wrote nothing
                    log.warn("{}: frame at dts {} skipped in HLS: {}", key, frame.dts(), e.getMessage());
                }
                return;
            }
            if (init != null) {
                part.add(frame);
            }
        }

        @Override
        public void partEnded(long sequence, int index, long endDts) {
            boolean independent = part.independent();
            double duration = part.durationSeconds(endDts);
            ByteBuf bytes = part.cut(endDts, videoClock, audioClock);
            if (bytes != null) {
                cut(window.addPart(duration, independent, bytes), false);
            }
        }

        @Override
        public void segmentEnded(long sequence, long endDts) {
            ByteBuf tsBytes = segmentBytes;
            segmentBytes = null;
            PartPosition last = window.close(endDts, tsBytes);
            if (last != null) {
                cut(last, true);
            }
        }
    }

    /**
     * The cues waiting for this frame go into the segment right before it: an ID3 PES in TS; in
     * LL-HLS an emsg before the moof of its part and a DATERANGE at its program date time.
     */
    private void placeCues(Frame frame) {
        for (Cue cue : pendingCues) {
            if (flavour == Flavour.TS) {
                if (ts != null && segmentBytes != null) {
                    ts.writeCue(cue, segmentBytes);
                }
            } else if (init != null && window.current() != null) {
                part.addCue(cue);
                HlsWindow.SegmentData current = window.current();
                long start = current.programDateTimeMillis + Math.floorDiv(cue.ptsMicros() - current.startDts, 1000);
                current.addDateRange(CueDateRange.line(cue, start));
            }
        }
        pendingCues.clear();
    }

    /** The wall-clock time at which {@code System.nanoTime()} read {@code nanoTime}. */
    private static long wallClockMillis(long nanoTime) {
        return System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }

    private void skipOnce(Codec codec) {
        if (skippedCodecs.add(codec)) {
            log.info("{}: {} cannot be carried in HLS over MPEG-TS; its frames are left out", key, codec.displayName());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void onPublisherGone() {
        if (waitsForPull && !fed) {
            // The pull it was started for never brought a frame (no such stream anywhere): nothing
            // to keep for players, and a place among the packagers waiting for a pull to give back.
            close();
            return;
        }
        if (segmenter != null) {
            segmenter.end();
            segmenter = null;
            pendingDiscontinuity = true;
            announceCuts();
        }
        dropUnfinished(); // of a timeline that ended
        pendingCues.clear(); // their video frame never came: not for the next publisher's first frame
    }

    @Override
    public void onStreamClosed(String reason) {
        close();
    }

    /** Stops packaging and frees the window; on the loop. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (stream != null) {
            stream.unsubscribe(this);
        }
        dropUnfinished();
        window.clear();
        if (init != null) {
            init.release();
            init = null;
        }
        if (videoConfig != null) {
            videoConfig.release();
        }
        if (audioConfig != null) {
            audioConfig.release();
        }
    }

    /** Frees the segment being built: the frames of its open part, its parts, its MPEG-TS bytes. */
    private void dropUnfinished() {
        part.release();
        window.dropCurrent();
        if (segmentBytes != null) {
            segmentBytes.release();
            segmentBytes = null;
        }
    }

    boolean closed() {
        return closed;
    }

    /** Whether any media frame has reached this packager yet; any thread. */
    boolean fed() {
        return fed;
    }

    /** A request for this stream, or a report on it, keeps it packaged; any thread. */
    void touched() {
        lastRequestNanos = System.nanoTime();
    }

    boolean idle(long nowNanos) {
        return nowNanos - lastRequestNanos > TimeUnit.MILLISECONDS.toNanos(settings.idleMillis());
    }

    /** The init segment (CMAF), or null. Not retained. */
    ByteBuf init() {
        return init;
    }
}
