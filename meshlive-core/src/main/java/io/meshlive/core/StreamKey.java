package io.meshlive.core;

import java.util.regex.Pattern;

/**
 * The name of a stream, {@code app/name}. Both parts are restricted to a safe alphabet because
 * they become file names (recordings) and URL paths: no slashes, no leading dot, nothing a path
 * traversal could use.
 */
public record StreamKey(String app, String name) {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_\\-][A-Za-z0-9_\\-.]{0,127}");

    public StreamKey {
        check("app", app);
        check("stream", name);
    }

    private static void check(String what, String value) {
        if (value == null || !SAFE.matcher(value).matches()) {
            throw new IllegalArgumentException("bad " + what + " name '" + value
                    + "': use 1-128 of A-Z a-z 0-9 _ - . and do not start with a dot");
        }
    }

    /** Parses {@code app/name}. */
    public static StreamKey parse(String path) {
        int slash = path.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("stream path '" + path + "' is not app/stream");
        }
        return new StreamKey(path.substring(0, slash), path.substring(slash + 1));
    }

    @Override
    public String toString() {
        return app + "/" + name;
    }
}
