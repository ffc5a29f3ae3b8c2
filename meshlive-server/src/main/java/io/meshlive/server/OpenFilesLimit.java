package io.meshlive.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process's open-files limit, as Linux reports it in {@code /proc/self/limits}: every
 * connection is a descriptor, so it bounds viewers, and it is logged at start. The launcher
 * raises the soft limit to the hard one (the JVM cannot without native code).
 */
final class OpenFilesLimit {
    private OpenFilesLimit() {
    }

    /** "soft N, hard M" from the limits file's text, or null when it has no open-files line. */
    static String parse(List<String> limitsFile) {
        for (String line : limitsFile) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                return f.length >= 2 ? "soft " + f[0] + ", hard " + f[1] : null;
            }
        }
        return null;
    }

    /** The limit in effect, for the start-up log; says so when it cannot be read (not Linux). */
    static String inEffect() {
        try {
            String s = parse(Files.readAllLines(Path.of("/proc/self/limits")));
            return s != null ? s : "unknown (no open-files line in /proc/self/limits)";
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
