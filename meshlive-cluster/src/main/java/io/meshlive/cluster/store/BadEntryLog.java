package io.meshlive.cluster.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Logs a store entry that does not parse, once per distinct entry (the same bad entry is read
 * every second), quoting it truncated; the entry itself is ignored by the caller. Remembers a
 * bounded number of entries.
 */
final class BadEntryLog {
    private static final Logger log = LoggerFactory.getLogger(BadEntryLog.class);
    private static final int REMEMBERED = 256;
    private static final int QUOTED = 120;

    private final Set<String> seen = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    synchronized void ignored(String where, String raw, Exception why) {
        String quoted = raw == null ? "null" : raw.length() > QUOTED ? raw.substring(0, QUOTED) + "..." : raw;
        if (seen.add(where + '\n' + quoted)) {
            log.warn("control store: ignoring {} that does not parse: '{}' ({})", where, quoted, firstLine(why.getMessage()));
        }
    }

    private static String firstLine(String message) {
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        return line.length() > QUOTED ? line.substring(0, QUOTED) + "..." : line;
    }
}
