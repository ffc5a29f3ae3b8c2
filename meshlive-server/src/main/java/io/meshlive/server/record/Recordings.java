package io.meshlive.server.record;

import io.meshlive.core.AccessRequest;
import io.meshlive.core.Hub;
import io.meshlive.core.PublishListener;
import io.meshlive.core.Session;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.server.hooks.Webhooks;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's recordings: starts a recorder when a stream of a recording app gets a publisher, or
 * when the API asks; lists them; and reports every closed file (log line and {@code on_record}).
 * At most one recorder per stream.
 */
public final class Recordings implements Recorder.Owner, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Recordings.class);

    private final Hub hub;
    private final RecordConfig config;
    private final Path dir;
    private final FileNameTemplate template;
    private final RecordWriter writer;
    private final Webhooks webhooks;
    private final ConcurrentHashMap<StreamKey, Recorder> active = new ConcurrentHashMap<>();
    private final AtomicInteger nextLoop = new AtomicInteger();

    public Recordings(Hub hub, RecordConfig config, String dataDir, Webhooks webhooks) {
        this(hub, config, dataDir, webhooks, RecordOutput::createFile);
    }

    Recordings(Hub hub, RecordConfig config, String dataDir, Webhooks webhooks, RecordOutput.Opener opener) {
        this.hub = hub;
        this.config = config;
        this.dir = config.directory(dataDir).toAbsolutePath().normalize();
        this.template = FileNameTemplate.parse(config.template);
        this.writer = new RecordWriter(config.queueBytes, opener);
        this.webhooks = webhooks;
        hub.onPublish(new PublishListener() {
            @Override
            public void published(Stream stream, Session publisher) {
                publishStarted(stream);
            }

            @Override
            public void unpublished(Stream stream, Session publisher) {
                // A recorder ends through its own subscription (publisher gone), after the last frame.
            }
        });
        if (!config.apps.isEmpty()) {
            log.info("recording apps {} to {} ({}, split every {} s, names {})", config.apps.keySet(), dir, config.format,
                    config.splitSeconds, config.template);
        }
    }

    /** A publisher claimed a stream: record it if its app says so. On the publisher's thread. */
    private void publishStarted(Stream stream) {
        RecordFormat format = config.formatFor(stream.key());
        if (format == null || stream.key().name().endsWith(io.meshlive.core.AudioTranscoding.OPUS_COMPANION_SUFFIX)) {
            return;
        }
        Recorder recorder = newRecorder(stream, format, "config");
        Recorder previous = active.put(stream.key(), recorder);
        if (previous != null) { // a takeover: the old publisher's recording ends with it
            previous.stop("the publisher was replaced");
        }
        recorder.start();
    }

    /**
     * Starts recording a published stream now (the API).
     *
     * @throws NoSuchElementException when nobody publishes it
     * @throws IllegalStateException  when it is already being recorded
     */
    public Map<String, Object> start(StreamKey key, RecordFormat format) {
        Stream stream = hub.streams().get(key);
        if (stream == null || stream.publisher() == null) {
            throw new NoSuchElementException("stream " + key + " is not being published");
        }
        Recorder recorder = newRecorder(stream, format, "api");
        Recorder existing = active.putIfAbsent(key, recorder);
        if (existing != null) {
            throw new IllegalStateException("stream " + key + " is already being recorded (" + existing.format() + ", started by "
                    + existing.source() + "); DELETE it first");
        }
        recorder.start();
        log.info("recording of {} as {} started through the API", key, format);
        return recorder.describe();
    }

    /** Stops recording a stream; false when it was not being recorded. */
    public boolean stop(StreamKey key) {
        Recorder r = active.remove(key);
        if (r == null) {
            return false;
        }
        r.stop("stopped through the API");
        return true;
    }

    /** Every active recorder, as the API lists them. */
    public List<Map<String, Object>> list() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Recorder r : active.values()) {
            out.add(r.describe());
        }
        return out;
    }

    /** The recordings directory. */
    public Path directory() {
        return dir;
    }

    private Recorder newRecorder(Stream stream, RecordFormat format, String source) {
        int current = hub.workers().current();
        // On the publisher's own loop the recorder gets frames without a thread hop.
        EventLoop loop = hub.workers().loop(current >= 0 ? current : Math.floorMod(nextLoop.getAndIncrement(), hub.workers().size()));
        return new Recorder(stream, format, source, loop, TimeUnit.SECONDS.toMicros(config.splitSeconds), this);
    }

    @Override
    public RecordWriter writer() {
        return writer;
    }

    @Override
    public RecordFile newFile(Recorder recorder, int seq, ZonedDateTime start) {
        // The template only yields relative names without "..", so this stays under dir.
        Path path = dir.resolve(template.expand(recorder.key(), recorder.format(), start, seq));
        return new RecordFile(recorder.key(), recorder.format(), recorder.source(), path, start.toInstant().toEpochMilli());
    }

    @Override
    public void fileClosed(RecordFile file) {
        long ended = System.currentTimeMillis();
        if (file.error() != null) {
            log.error("recording of {} to {} failed after {} bytes ({}); recording stopped, the stream goes on; check the disk and record.dir",
                    file.stream(), file.path(), file.bytes(), file.error());
        } else {
            log.info("recording of {}: {} closed, {} bytes, {} s{}", file.stream(), file.path(), file.bytes(),
                    file.mediaMillis() / 1000.0, file.droppedFragments() > 0 ? ", " + file.droppedFragments() + " fragment(s) dropped" : "");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("file", file.path().toString());
        fields.put("format", file.format().toString());
        fields.put("source", file.source());
        fields.put("bytes", file.bytes());
        fields.put("durationMillis", file.mediaMillis());
        fields.put("startTime", file.startedMillis());
        fields.put("endTime", ended);
        fields.put("droppedFragments", file.droppedFragments());
        if (file.error() != null) {
            fields.put("error", file.error());
        }
        webhooks.notify("on_record", new AccessRequest(AccessRequest.Action.PUBLISH, "record", file.stream(), Map.of(), ""), fields);
    }

    @Override
    public void ended(Recorder recorder, String why) {
        active.remove(recorder.key(), recorder);
        log.info("recording of {} ended: {}", recorder.key(), why);
    }

    /** After the streams ended: writes out what is queued and stops the writer thread. */
    @Override
    public void close() {
        writer.close();
    }
}
