package io.meshlive.server.record;

import io.meshlive.core.StreamKey;

import java.nio.file.Path;

/**
 * One file of a recording. The recorder's event loop fills in the media figures, the writer
 * thread the file figures; the API reads both from its own thread, hence volatile.
 */
final class RecordFile {
    private final StreamKey stream;
    private final RecordFormat format;
    private final String source;
    private final long startedMillis;
    /** Where the writer is asked to create it; the name may get a suffix if it is taken. */
    private final Path wanted;
    private volatile Path path;
    private volatile long bytes;
    private volatile long mediaMillis;
    private volatile long droppedFragments;
    private volatile String error;
    /** Writer thread only. */
    RecordOutput output;

    RecordFile(StreamKey stream, RecordFormat format, String source, Path wanted, long startedMillis) {
        this.stream = stream;
        this.format = format;
        this.source = source;
        this.wanted = wanted;
        this.path = wanted;
        this.startedMillis = startedMillis;
    }

    StreamKey stream() {
        return stream;
    }

    RecordFormat format() {
        return format;
    }

    /** "config" or "api": what started the recording. */
    String source() {
        return source;
    }

    Path wanted() {
        return wanted;
    }

    Path path() {
        return path;
    }

    void created(Path actual) {
        this.path = actual;
    }

    long startedMillis() {
        return startedMillis;
    }

    long bytes() {
        return bytes;
    }

    /** Writer thread only (the one writer). */
    void wrote(long count) {
        bytes += count;
    }

    /** Media time written so far: last dts minus first. */
    long mediaMillis() {
        return mediaMillis;
    }

    void mediaMillis(long millis) {
        this.mediaMillis = millis;
    }

    long droppedFragments() {
        return droppedFragments;
    }

    void dropped() {
        droppedFragments++;
    }

    /** Why writing stopped, or null while it is fine. */
    String error() {
        return error;
    }

    void failed(String why) {
        this.error = why;
    }
}
