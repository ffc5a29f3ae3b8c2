package io.meshlive.server.config;

import java.util.List;

/**
 * The range checks every configuration block makes; each message names the file, the key and what
 * is allowed, so the operator knows what to fix.
 */
public final class ConfigChecks {
    private ConfigChecks() {
    }

    public static void port(String source, String key, int value) throws ConfigException {
        if (value < 0 || value > 65535) {
            throw new ConfigException(source + ": '" + key + "': " + value + " is not a port; allowed 0-65535 (0 picks a free one)");
        }
    }

    public static void atLeast(String source, String key, long value, long min) throws ConfigException {
        if (value < min) {
            throw new ConfigException(source + ": '" + key + "': " + value + " is too small; allowed " + min + " or more");
        }
    }

    public static void atMost(String source, String key, long value, long max) throws ConfigException {
        if (value > max) {
            throw new ConfigException(source + ": '" + key + "': " + value + " is too large; allowed " + max + " or less");
        }
    }

    public static void oneOf(String source, String key, String value, String... allowed) throws ConfigException {
        if (!List.of(allowed).contains(value)) {
            throw new ConfigException(source + ": '" + key + "': '" + value + "'; allowed " + String.join(", ", allowed));
        }
    }
}
