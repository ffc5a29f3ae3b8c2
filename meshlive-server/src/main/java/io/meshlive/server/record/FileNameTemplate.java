package io.meshlive.server.record;

import io.meshlive.core.StreamKey;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A recording's file name, relative to the recordings directory, from a template such as
 * {@code {app}/{stream}/{yyyyMMdd-HHmmss}.{ext}}. Placeholders: {@code {app}}, {@code {stream}},
 * {@code {ext}} (flv or mp4), {@code {seq}} (the file's number within one recording, from 1, as
 * splits make several), and any other {@code {...}} is a date-time pattern of
 * {@code y M d H m s S} and {@code - _ .}, the file's start in the server's time zone.
 *
 * <p>Names stay inside the directory: the template's own text is limited to
 * {@code A-Z a-z 0-9 _ - . /}, cannot start with {@code /} or hold a {@code ..} segment, and every
 * value put in is just as safe (stream names are, by {@link StreamKey}).
 */
public final class FileNameTemplate {
    public static final String DEFAULT = "{app}/{stream}/{yyyyMMdd-HHmmss}.{ext}";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern SAFE_TEXT = Pattern.compile("[A-Za-z0-9_\\-./]*");
    private static final Pattern DATE_PATTERN = Pattern.compile("[yMdHmsS_\\-.]+");

    /** A piece of the template: literal text, or a value filled in per file. */
    private interface Part {
        String value(StreamKey key, RecordFormat format, ZonedDateTime start, int seq);
    }

    private final List<Part> parts;

    private FileNameTemplate(List<Part> parts) {
        this.parts = parts;
    }

    /** Parses and checks a template; the exception says what is wrong with it. */
    public static FileNameTemplate parse(String template) {
        if (template.isEmpty() || template.startsWith("/") || template.endsWith("/")) {
            throw new IllegalArgumentException("'" + template + "' must be a relative file name such as " + DEFAULT);
        }
        for (String segment : template.split("/")) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("'" + template + "' has an empty, '.' or '..' path segment");
            }
        }
        List<Part> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int at = 0;
        while (m.find()) {
            parts.add(literal(template, template.substring(at, m.start())));
            parts.add(placeholder(template, m.group(1)));
            at = m.end();
        }
        parts.add(literal(template, template.substring(at)));
        return new FileNameTemplate(parts);
    }

    private static Part literal(String template, String text) {
        if (!SAFE_TEXT.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + template + "': '" + text + "' has characters other than A-Z a-z 0-9 _ - . / (or an unclosed {)");
        }
        return (key, format, start, seq) -> text;
    }

    private static Part placeholder(String template, String name) {
        switch (name) {
            case "app":
                return (key, format, start, seq) -> key.app();
            case "stream":
                return (key, format, start, seq) -> key.name();
            case "ext":
                return (key, format, start, seq) -> format.extension();
            case "seq":
                return (key, format, start, seq) -> Integer.toString(seq);
            default:
                if (!DATE_PATTERN.matcher(name).matches()) {
                    throw new IllegalArgumentException("'" + template + "': unknown placeholder {" + name
                            + "}; use {app}, {stream}, {ext}, {seq} or a date pattern of y M d H m s S - _ . such as {yyyyMMdd-HHmmss}");
                }
                DateTimeFormatter date = DateTimeFormatter.ofPattern(name);
                return (key, format, start, seq) -> date.format(start);
        }
    }

    /** The relative file name of file number {@code seq} of a recording of {@code key}, started at {@code start}. */
    public String expand(StreamKey key, RecordFormat format, ZonedDateTime start, int seq) {
        StringBuilder name = new StringBuilder();
        for (Part p : parts) {
            name.append(p.value(key, format, start, seq));
        }
        return name.toString();
    }
}
