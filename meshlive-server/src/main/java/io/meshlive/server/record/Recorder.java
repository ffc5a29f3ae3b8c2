package io.meshlive.server.record;

import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.Subscriber;
import io.meshlive.media.Frame;
import io.meshlive.media.TrackType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records one stream while its publisher stays: a subscriber on one event loop that cuts the
 * stream into fragments (at each video keyframe, or every second without one) and files (at the
 * first keyframe past the split duration, or when a codec configuration changes), and hands the
 * bytes to the {@link RecordWriter}. It never waits for the disk; a write error stops it alone.
 */
final class Recorder implements Subscriber {
    private static final Logger log = LoggerFactory.getLogger(Recorder.class);
    /** Longest fragment without a keyframe: bounds what a crash can lose with long GOPs or audio only. */
    private static final long FRAGMENT_MICROS = 1_000_000;

    /** What the recorder needs of its owner. */
    interface Owner {
        RecordWriter writer();

        /** The file for file number {@code seq} of this recording, started now. */
        RecordFile newFile(Recorder recorder, int seq, ZonedDateTime start);

        /** On the writer thread, once the file is closed (or failed). */
        void fileClosed(RecordFile file);

        /** On the recorder's loop, once it has stopped. */
        void ended(Recorder recorder, String why);
    }

    private final Stream stream;
    private final RecordFormat format;
    private final String source;
    private final EventLoop loop;
    private final Owner owner;
    private final long splitMicros;
    private final long startedMillis = System.currentTimeMillis();

    private Frame metadata;
    private Frame videoConfig;
    private Frame audioConfig;
    private RecordMuxer muxer;
    private volatile RecordFile file;
    private boolean fileHasVideo;
    private boolean fileHasAudio;
    private long baseDts;
    private long lastDts;
    private long fragmentStartDts;
    private boolean dropping;
    private volatile int files;
    private volatile long droppedFragments;
    private boolean subscribed;
    private boolean ended;

    Recorder(Stream stream, RecordFormat format, String source, EventLoop loop, long splitMicros, Owner owner) {
        this.stream = stream;
        this.format = format;
        this.source = source;
        this.loop = loop;
        this.splitMicros = splitMicros;
        this.owner = owner;
    }

    StreamKey key() {
        return stream.key();
    }

    RecordFormat format() {
        return format;
    }

    String source() {
        return source;
    }

    /** Subscribes on the recorder's loop; recording begins at the next keyframe (or the cached one). */
    void start() {
        loop.execute(() -> {
            subscribed = true;
            if (!stream.subscribe(this)) {
                subscribed = false;
                end("the stream closed before recording began");
            }
        });
    }

    /** From any thread: closes the file and leaves the stream. */
    void stop(String why) {
        loop.execute(() -> end(why));
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public void onSubscribed(Stream s) {
        // the stream is known from the start
    }

    @Override
    public void onFrame(Frame frame, long nowNanos) {
        if (ended) {
            return;
        }
        RecordFile f = file;
        if (f != null && f.error() != null) {
            end("write failed: " + f.error());
            return;
        }
        if (frame.isConfig()) {
            config(frame);
            return;
        }
        boolean startPoint = frame.isVideoKeyframe() || (frame.track() == TrackType.AUDIO && videoConfig == null);
        if (file == null) {
            if (!startPoint || configOf(frame.track()) == null || !openFile(frame)) {
                return;
            }
        } else if (startPoint && splitMicros > 0 && frame.dts() - baseDts >= splitMicros) {
            closeFile();
            if (!openFile(frame)) {
                return;
            }
        } else if (muxer.hasPending() && (frame.isVideoKeyframe() || frame.dts() - fragmentStartDts >= FRAGMENT_MICROS)) {
            cutFragment();
        }
        add(frame, startPoint);
    }

    private Frame configOf(TrackType track) {
        return switch (track) {
            case VIDEO -> videoConfig;
            case AUDIO -> audioConfig;
            case DATA -> metadata; // cues need no config, but wait for a file like the rest
        };
    }

    private void add(Frame frame, boolean startPoint) {
        TrackType track = frame.track();
        if ((track == TrackType.VIDEO && !fileHasVideo) || (track == TrackType.AUDIO && !fileHasAudio) || frame.dts() < baseDts) {
            return; // a track that appeared after the file began, or a straggler from before its first frame
        }
        if (dropping) {
            if (!startPoint) {
                return;
            }
            dropping = false;
        }
        if (!muxer.hasPending()) {
            fragmentStartDts = frame.dts();
        }
        try {
            muxer.add(frame, baseDts);
        } catch (IllegalArgumentException e) { // MediaFormatException: nothing was added
            log.warn("recording of {}: frame at dts {} left out: {}", key(), frame.dts(), e.getMessage());
            return;
        }
        lastDts = Math.max(lastDts, frame.dts());
        file.mediaMillis((lastDts - baseDts) / 1000);
    }

    /** A new config replaces the old; a different one ends the file, and the next keyframe starts one that describes it. */
    private void config(Frame frame) {
        TrackType track = frame.track();
        Frame old = configOf(track);
        switch (track) {
            case VIDEO -> videoConfig = frame.retain();
            case AUDIO -> audioConfig = frame.retain();
            case DATA -> metadata = frame.retain();
        }
        if (old != null) {
            if (track != TrackType.DATA && file != null && !old.payload().equals(frame.payload())) {
                log.info("recording of {}: {} configuration changed, starting a new file at the next keyframe", key(), track);
                closeFile();
            }
            old.release();
        }
    }

    /** Starts a file at {@code first}; false when the format cannot carry the stream (the recording then stops). */
    private boolean openFile(Frame first) {
        RecordMuxer m = RecordMuxer.of(format);
        ByteBuf header;
        try {
            header = m.header(metadata, videoConfig, audioConfig, PooledByteBufAllocator.DEFAULT);
        } catch (IllegalArgumentException e) {
            log.error("recording of {} as {} impossible: {}; recording stopped (try format flv)", key(), format, e.getMessage());
            end("cannot record as " + format + ": " + e.getMessage());
            return false;
        }
        muxer = m;
        fileHasVideo = videoConfig != null;
        fileHasAudio = audioConfig != null;
        baseDts = first.dts();
        lastDts = first.dts();
        dropping = false;
        files++;
        RecordFile f = owner.newFile(this, files, ZonedDateTime.now());
        file = f;
        owner.writer().open(f, header);
        return true;
    }

    private void cutFragment() {
        ByteBuf bytes = muxer.cut(PooledByteBufAllocator.DEFAULT);
        if (!owner.writer().append(file, bytes)) {
            if (file.droppedFragments() == 0) {
                log.warn("recording of {}: the disk is behind (record.queueBytes full); dropping up to the next keyframe, counted in droppedFragments",
                        key());
            }
            file.dropped();
            droppedFragments++;
            dropping = true;
        }
    }

    private void closeFile() {
        RecordFile f = file;
        if (f == null) {
            return;
        }
        if (f.error() == null && muxer.hasPending()) {
            cutFragment();
        }
        muxer.discard();
        muxer = null;
        file = null;
        owner.writer().close(f, owner::fileClosed);
    }

    @Override
    public void flush() {
        // fragments leave at keyframes, not at the end of each publisher read
    }

    @Override
    public void onPublisherGone() {
        end("the publisher left");
    }

    @Override
    public void onStreamClosed(String reason) {
        end(reason);
    }

    private void end(String why) {
        if (ended) {
            return;
        }
        ended = true;
        closeFile();
        for (Frame f : new Frame[] {metadata, videoConfig, audioConfig}) {
            if (f != null) {
                f.release();
            }
        }
        metadata = videoConfig = audioConfig = null;
        if (subscribed) {
            subscribed = false;
            stream.unsubscribe(this);
        }
        owner.ended(this, why);
    }

    /** The recorder as the API lists it; any thread. */
    Map<String, Object> describe() {
        RecordFile f = file;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("app", key().app());
        m.put("stream", key().name());
        m.put("format", format.toString());
        m.put("source", source);
        m.put("startedAt", startedMillis);
        m.put("file", f == null ? null : f.path().toString());
        m.put("bytes", f == null ? 0 : f.bytes());
        m.put("durationMillis", f == null ? 0 : f.mediaMillis());
        m.put("files", files);
        m.put("droppedFragments", droppedFragments);
        return m;
    }

    @Override
    public String toString() {
        return "recorder of " + key() + " (" + format + ")";
    }
}
