package io.meshlive.server.record;

import io.meshlive.core.StreamKey;
import io.meshlive.server.config.ConfigException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code record} block of the configuration: where recordings go, in which format, how they
 * are split and named, and which apps record every stream they publish. Recordings can also be
 * started and stopped through the API whatever this says.
 */
public final class RecordConfig {
    /** Where recordings are written; empty = {@code <dataDir>/recordings}. */
    public String dir = "";
    /** flv or mp4 (fragmented, CMAF-style); an app may choose its own. */
    public String format = "flv";
    /** Start a new file at the first keyframe this long after the file began; 0 = one file per publish. */
    public int splitSeconds = 0;
    /** Relative file name; placeholders in {@link FileNameTemplate}. */
    public String template = FileNameTemplate.DEFAULT;
    /** Bytes waiting for the disk, all recordings together; past this, fragments are dropped up to the next keyframe. */
    public long queueBytes = 64L * 1024 * 1024;
    /** Apps that record every publish: {@code live: {enabled: true, format: mp4, streams: []}}. */
    public Map<String, App> apps = new LinkedHashMap<>();

    public static final class App {
        public boolean enabled = true;
        /** flv or mp4; empty = record.format. */
        public String format = "";
        /** Only these stream names; empty = every stream of the app. */
        public List<String> streams = new ArrayList<>();
    }

    /** Checks what Jackson cannot; the message names the key and what is allowed. */
    public void validate(String source) throws ConfigException {
        try {
            RecordFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": 'record.format': " + e.getMessage());
        }
        if (splitSeconds < 0) {
            throw new ConfigException(source + ": 'record.splitSeconds': " + splitSeconds + " is too small; allowed 0 (no split) or more");
        }
        if (queueBytes < 1024 * 1024) {
            throw new ConfigException(source + ": 'record.queueBytes': " + queueBytes + " is too small; allowed 1048576 or more");
        }
        try {
            FileNameTemplate.parse(template);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + ": 'record.template': " + e.getMessage());
        }
        for (var e : apps.entrySet()) {
            String key = "record.apps." + e.getKey();
            try {
                new StreamKey(e.getKey(), "x");
                if (!e.getValue().format.isEmpty()) {
                    RecordFormat.parse(e.getValue().format);
                }
                for (String name : e.getValue().streams) {
                    new StreamKey(e.getKey(), name);
                }
            } catch (IllegalArgumentException bad) {
                throw new ConfigException(source + ": '" + key + "': " + bad.getMessage());
            }
        }
    }

    /** The recordings directory, {@link #dir} or under the data directory. */
    Path directory(String dataDir) {
        return dir.isEmpty() ? Path.of(dataDir, "recordings") : Path.of(dir);
    }

    /** The format this config records {@code key} in when it publishes, or null when it does not record it. */
    RecordFormat formatFor(StreamKey key) {
        App app = apps.get(key.app());
        if (app == null || !app.enabled || !(app.streams.isEmpty() || app.streams.contains(key.name()))) {
            return null;
        }
        return RecordFormat.parse(app.format.isEmpty() ? format : app.format);
    }
}
