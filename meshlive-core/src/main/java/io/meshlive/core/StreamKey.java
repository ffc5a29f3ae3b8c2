package io.meshlive.core;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The name of a stream, {@code app/name}: the one name rule of every protocol. Both parts are
 * restricted to a safe alphabet because they become file names (recordings), URL paths and log
 * text: no slashes, no leading dot, no control characters, nothing a path traversal could use.
 * App names are folded to lower case ({@code /LIVE/x} is {@code live/x}), so a rule configured
 * for an app cannot be side-stepped by spelling it differently; stream names keep their case.
 */
public record StreamKey(String app, String name) {
    /** The rule, as refusals state it. */
    public static final String NAME_RULE = "1-128 of A-Z a-z 0-9 _ - . not starting with a dot";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_\\-][A-Za-z0-9_\\-.]{0,127}");

    public StreamKey {
        checkName("app", app);
        checkName("stream", name);
        app = app.toLowerCase(Locale.ROOT);
    }

    /**
     * Checks a client-given app or stream name against the rule; the exception's message quotes
     * the name (truncated) and states the rule.
     */
    public static void checkName(String what, String value) {
        if (value == null || !SAFE.matcher(value).matches()) {
            throw new IllegalArgumentException("bad " + what + " name " + ClientText.quote(value) + ": use " + NAME_RULE);
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
