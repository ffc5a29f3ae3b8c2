package io.meshlive.hls;

import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.Subscriber;
import io.meshlive.media.fmp4.CueEmsg;
import io.meshlive.media.fmp4.Fmp4Fragment;
import io.meshlive.media.fmp4.Fmp4Init;
import io.meshlive.media.fmp4.SampleClock;
import io.meshlive.media.fmp4.Timescale;
import io.meshlive.hls.playlist.CueDateRange;
import io.meshlive.hls.playlist.MediaPlaylist;
import io.meshlive.hls.playlist.Part;
import io.meshlive.hls.playlist.Segment;
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

import java.util.ArrayDeque;
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
    /** Where each URI of the shared playlist text ends: replaced by the asking player's query. */
    private static final char URI_QUERY_MARK = '\u0000';
    private static final String URI_QUERY = String.valueOf(URI_QUERY_MARK);

    /** A part as kept: its bytes (moof+mdat) and what the playlist says of it. */
    record PartData(Part part, ByteBuf bytes) {
    }

    /** A segment as kept. */
    static final class SegmentData {
        final long sequence;
        final long startDts;
        final long programDateTimeMillis;
        final boolean discontinuity;
        final List<PartData> parts = new ArrayList<>();
        /** EXT-X-DATERANGE lines of the cues on this segment's frames (LL-HLS). */
        final List<String> dateRanges = new ArrayList<>();
        ByteBuf bytes;
        double durationSeconds;

        SegmentData(long sequence, long startDts, long programDateTimeMillis, boolean discontinuity) {
            this.sequence = sequence;
            this.startDts = startDts;
            this.programDateTimeMillis = programDateTimeMillis;
            this.discontinuity = discontinuity;
        }

        void release() {
            if (bytes != null) {
                bytes.release();
            }
            for (PartData p : parts) {
                p.bytes().release();
            }
        }
    }

    private final Flavour flavour;
    private final HlsSettings settings;
    private final EventLoop loop;
    private final StreamKey key;
    private final BlockingReloads reloads;
    private final ArrayDeque<SegmentData> window = new ArrayDeque<>();
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
    private SegmentData current;
    private ByteBuf segmentBytes;
    private final List<Frame> partVideo = new ArrayList<>();
    private final List<Frame> partAudio = new ArrayList<>();
    /** Cues received, waiting for the video frame they go before. */
    private final List<Cue> pendingCues = new ArrayList<>();
    /** Cues on the frames of the part being built: emsg boxes before its moof (LL-HLS). */
    private final List<Cue> partCues = new ArrayList<>();
    private long partStartDts;
    private boolean partIndependent;
    private int fragmentSequence = 1;
    /** When the frame being segmented arrived at this node (System.nanoTime()): a segment it starts is dated by it. */
    private long accepting;
    /** The next segment follows a new timeline (publisher restart, new codec parameters). */
    private boolean pendingDiscontinuity;
    /** EXT-X-DISCONTINUITY-SEQUENCE: discontinuities that have left the window. */
    private long discontinuitySequence;
    // Written by requests for this stream and by its siblings' rendition reports, from any loop.
    private volatile long lastRequestNanos = System.nanoTime();
    /** The newest part announced (LL-HLS), or null: what a sibling's rendition report says of this stream. */
    private volatile PartPosition lastPart;
    /** EXT-X-TARGETDURATION so far: it may grow with a longer GOP, and never shrinks, as the spec requires. */
    private int targetDurationSeconds;
    /** The playlist text, full and delta: built and encoded once per change and shared by every player's request. */
    private SplicedText playlistFull;
    private SplicedText playlistDelta;
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

    HlsPackager(Flavour flavour, HlsSettings settings, EventLoop loop, StreamKey key) {
        this.flavour = flavour;
        this.settings = settings;
        this.loop = loop;
        this.key = key;
        this.reloads = new BlockingReloads(loop, settings.blockingTimeoutMillis());
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
        if (old != null) {
            boolean changed = !old.payload().equals(frame.payload());
            old.release();
            if (changed && segmenter != null) {
                restart(); // new codec parameters: a new init segment, after a discontinuity
                announceCuts();
            }
        }
    }

    private void start() {
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
            long seq = window.isEmpty() ? sequence : window.peekLast().sequence + 1;
            boolean disc = (discontinuity || pendingDiscontinuity) && !window.isEmpty();
            pendingDiscontinuity = false;
            // EXT-X-PROGRAM-DATE-TIME: when the segment's first frame reached this node, as its
            // prft says, not when it was packaged: a packager started by a viewer begins with
            // the GOP cache, seconds old. Renditions keep their source frame's arrival, so they
            // agree. Later segments continue the first one's date by their media time.
            current = new SegmentData(seq, firstDts, dates.date(firstDts, wallClockMillis(accepting), !disc), disc);
            if (flavour == Flavour.TS && ts != null) {
                segmentBytes = ts.segmentStart(PooledByteBufAllocator.DEFAULT);
            }
            playlistChanged();
        }

        @Override
        public void partStarted(long sequence, int part, boolean independent) {
            partIndependent = independent;
            partStartDts = -1;
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
            if (init == null) {
                return;
            }
            if (partStartDts < 0) {
                partStartDts = frame.dts();
            }
            (frame.track() == TrackType.VIDEO ? partVideo : partAudio).add(frame.retain());
        }

        @Override
        public void partEnded(long sequence, int part, long endDts) {
            if (partVideo.isEmpty() && (partAudio.isEmpty() || audioClock == null)) {
                releasePart();
                return;
            }
            ByteBuf bytes = PooledByteBufAllocator.DEFAULT.directBuffer(16 * 1024);
            for (Cue cue : partCues) {
                CueEmsg.write(cue, bytes);
            }
            partCues.clear();
            try {
                // Audio the init segment does not declare (no audio config) is left out; the next
                // audio frame is not known yet, so the last one lasts one AAC frame.
                Fmp4Fragment.write(fragmentSequence++, partVideo, endDts, videoClock,
                        audioClock == null ? List.of() : partAudio, Fmp4Fragment.ONE_FRAME_ON, audioClock, bytes);
            } catch (RuntimeException e) {
                bytes.release();
                throw e;
            } finally {
                releasePart();
            }
            double duration = (endDts - partStartDts) / 1e6;
            int index = current.parts.size();
            current.parts.add(new PartData(new Part(duration, partIndependent, partUri(current.sequence, index)), bytes));
            playlistChanged();
            cut(new PartPosition(current.sequence, index), false);
        }

        @Override
        public void segmentEnded(long sequence, long endDts) {
            SegmentData s = current;
            current = null;
            s.durationSeconds = (endDts - s.startDts) / 1e6;
            if (flavour == Flavour.TS) {
                s.bytes = segmentBytes;
                segmentBytes = null;
            } else if (!s.parts.isEmpty()) { // none when nothing could be packaged: the segment is dropped, as in TS
                // The whole segment is its parts back to back: one copy per stream and segment keeps
                // every response a plain buffer.
                int size = s.parts.stream().mapToInt(p -> p.bytes().readableBytes()).sum();
                ByteBuf whole = PooledByteBufAllocator.DEFAULT.directBuffer(Math.max(1, size));
                for (PartData p : s.parts) {
                    whole.writeBytes(p.bytes(), p.bytes().readerIndex(), p.bytes().readableBytes());
                }
                s.bytes = whole;
            }
            if (s.bytes == null || s.durationSeconds <= 0) {
                s.release();
                return;
            }
            window.addLast(s);
            while (window.size() > settings.windowSegments()) {
                SegmentData gone = window.removeFirst();
                if (gone.discontinuity) {
                    discontinuitySequence++;
                }
                gone.release();
            }
            playlistChanged();
            cut(new PartPosition(s.sequence, Math.max(0, s.parts.size() - 1)), true);
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
            } else if (init != null && current != null) {
                partCues.add(cue);
                long start = current.programDateTimeMillis + Math.floorDiv(cue.ptsMicros() - current.startDts, 1000);
                current.dateRanges.add(CueDateRange.line(cue, start));
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
        if (segmenter != null) {
            segmenter.end();
            segmenter = null;
            pendingDiscontinuity = true;
            announceCuts();
        }
        dropUnfinished(); // of a timeline that ended
        pendingCues.clear(); // their video frame never came: not for the next publisher's first frame
        playlistChanged();
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
        window.forEach(SegmentData::release);
        window.clear();
        if (init != null) {
            init.release();
            init = null;
        }
        playlistChanged();
        if (videoConfig != null) {
            videoConfig.release();
        }
        if (audioConfig != null) {
            audioConfig.release();
        }
    }

    /** Frees the segment being built: the frames of its open part, its parts, its MPEG-TS bytes. */
    private void dropUnfinished() {
        releasePart();
        if (current != null) {
            current.release();
            current = null;
        }
        if (segmentBytes != null) {
            segmentBytes.release();
            segmentBytes = null;
        }
    }

    private void releasePart() {
        partCues.clear();
        partVideo.forEach(Frame::release);
        partAudio.forEach(Frame::release);
        partVideo.clear();
        partAudio.clear();
    }

    boolean closed() {
        return closed;
    }

    /** A request for this stream, or a report on it, keeps it packaged; any thread. */
    void touched() {
        lastRequestNanos = System.nanoTime();
    }

    boolean idle(long nowNanos) {
        return nowNanos - lastRequestNanos > TimeUnit.MILLISECONDS.toNanos(settings.idleMillis());
    }

    // ---- what requests read (on the loop) ----

    /** Drops the shared playlist text: the next request builds it anew. */
    private void playlistChanged() {
        playlistFull = null;
        playlistDelta = null;
    }

    /**
     * The playlist for this flavour ({@code skip}: a delta update, LL-HLS) with {@code uriQuery}
     * (the player's session token, or empty) appended to every URI in it, then {@code trailer}
     * (tags written at the moment of answering). The text is built and encoded once per change
     * and shared; each response is one buffer of its exact size that the caller owns.
     */
    ByteBuf playlistBytes(boolean skip, byte[] uriQuery, byte[] trailer) {
        boolean delta = skip && flavour == Flavour.CMAF;
        SplicedText text = delta ? playlistDelta : playlistFull;
        if (text == null) {
            text = SplicedText.of(playlist(delta), URI_QUERY_MARK);
            if (delta) {
                playlistDelta = text;
            } else {
                playlistFull = text;
            }
        }
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer(text.length(uriQuery.length) + trailer.length);
        text.writeTo(out, uriQuery);
        out.writeBytes(trailer);
        return out;
    }

    private String playlist(boolean skip) {
        List<Segment> segments = new ArrayList<>(window.size() + 1);
        for (SegmentData s : window) {
            segments.add(new Segment(s.sequence, s.durationSeconds, uri(s), s.programDateTimeMillis, s.discontinuity,
                    s.parts.stream().map(PartData::part).toList()));
        }
        String hint = null;
        if (flavour == Flavour.CMAF && current != null) {
            segments.add(new Segment(current.sequence, 0, null, current.programDateTimeMillis, current.discontinuity,
                    current.parts.stream().map(PartData::part).toList()));
            hint = partUri(current.sequence, current.parts.size());
        }
        double configured = (flavour == Flavour.TS ? settings.segmentMillis() : settings.llSegmentMillis()) / 1000.0;
        double longest = window.stream().mapToDouble(s -> s.durationSeconds).max().orElse(0);
        // The spec compares each EXTINF rounded to the nearest integer with the target duration.
        targetDurationSeconds = Math.max(targetDurationSeconds, (int) Math.max(Math.ceil(configured), Math.round(longest)));
        MediaPlaylist.Layout layout = new MediaPlaylist.Layout(targetDurationSeconds,
                flavour == Flavour.CMAF ? settings.partMillis() / 1000.0 : 0, flavour == Flavour.CMAF ? "init.mp4" + URI_QUERY : null,
                settings.partHoldBackParts());
        return MediaPlaylist.write(layout, segments, discontinuitySequence, hint, skip) + dateRanges();
    }

    /**
     * Every cue's EXT-X-DATERANGE in the window, after the segments: in full and delta playlists
     * alike, as the playlist does not say CAN-SKIP-DATERANGES.
     */
    private String dateRanges() {
        StringBuilder b = new StringBuilder();
        for (SegmentData s : window) {
            s.dateRanges.forEach(b::append);
        }
        if (current != null) {
            current.dateRanges.forEach(b::append);
        }
        return b.toString();
    }

    private String uri(SegmentData s) {
        return (flavour == Flavour.TS ? key.name() + "/seg-" + s.sequence + ".ts" : "seg-" + s.sequence + ".m4s") + URI_QUERY;
    }

    private static String partUri(long sequence, int index) {
        return "part-" + sequence + "." + index + ".m4s" + URI_QUERY;
    }

    /** The init segment (CMAF), or null. Not retained. */
    ByteBuf init() {
        return init;
    }

    /** A whole segment by sequence number, or null when it is not in the window. Not retained. */
    ByteBuf segment(long sequence) {
        for (SegmentData s : window) {
            if (s.sequence == sequence) {
                return s.bytes;
            }
        }
        return null;
    }

    /** A part by position, from the window or the segment in progress, or null. Not retained. */
    ByteBuf part(long sequence, int index) {
        if (current != null && current.sequence == sequence) {
            return index < current.parts.size() ? current.parts.get(index).bytes() : null;
        }
        for (SegmentData s : window) {
            if (s.sequence == sequence) {
                return index < s.parts.size() ? s.parts.get(index).bytes() : null;
            }
        }
        return null;
    }

    /** The newest position produced, for validating far-future requests. */
    PartPosition newest() {
        if (current != null) {
            return new PartPosition(current.sequence, current.parts.size() - 1);
        }
        SegmentData last = window.peekLast();
        return last == null ? new PartPosition(-1, -1) : new PartPosition(last.sequence, last.parts.size() - 1);
    }
}
