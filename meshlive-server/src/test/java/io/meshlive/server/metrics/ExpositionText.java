package io.meshlive.server.metrics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format, version 0.0.4: it fails on anything
 * the spec does not allow, and returns the samples by series ({@code name{l1="v1",l2="v2"}},
 * labels sorted by name).
 */
public final class ExpositionText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ")( .*)?");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{.*})? (\\S+)( -?[0-9]+)?");
    private static final Pattern VALUE = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?|NaN|[+-]Inf");
    /** Sample name suffixes that belong to a family of the given type. */
    private static final Map<String, Set<String>> SUFFIXES = Map.of(
            "counter", Set.of("_total"),
            "histogram", Set.of("_bucket", "_sum", "_count"),
            "summary", Set.of("_sum", "_count"));

    private ExpositionText() {
    }

    public static Map<String, Double> parse(String text) {
        if (!text.endsWith("\n")) {
            throw new AssertionError("the last line must end with a line feed");
        }
        Map<String, String> types = new HashMap<>();
        Set<String> helped = new HashSet<>();
        Set<String> finished = new HashSet<>();
        String current = null;
        Map<String, Double> samples = new LinkedHashMap<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                if (line.startsWith("#")) {
                    Matcher t = TYPE.matcher(line);
                    Matcher h = HELP.matcher(line);
                    if (t.matches()) {
                        check(types.put(t.group(1), t.group(2)) == null, "second TYPE for " + t.group(1));
                        check(!finished.contains(t.group(1)) && !t.group(1).equals(current), "TYPE after samples of " + t.group(1));
                    } else if (h.matches()) {
                        check(helped.add(h.group(1)), "second HELP for " + h.group(1));
                    } else {
                        check(!line.startsWith("# TYPE") && !line.startsWith("# HELP"), "malformed descriptor");
                    }
                    continue;
                }
                Matcher m = SAMPLE.matcher(line);
                check(m.matches(), "not `name{labels} value [timestamp]`");
                check(VALUE.matcher(m.group(3)).matches(), "bad value " + m.group(3));
                String family = familyOf(m.group(1), types);
                if (!family.equals(current)) {
                    check(finished.add(family), "samples of " + family + " are not in one group");
                    current = family;
                }
                String series = m.group(1) + labels(m.group(2));
                check(samples.put(series, Double.parseDouble(m.group(3).replace("Inf", "Infinity"))) == null,
                        "duplicate series " + series);
            } catch (AssertionError e) {
                throw new AssertionError("line " + n + ": " + e.getMessage() + ": " + line, e);
            }
        }
        return samples;
    }

    private static String familyOf(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return name;
        }
        for (Map.Entry<String, String> t : types.entrySet()) {
            for (String suffix : SUFFIXES.getOrDefault(t.getValue(), Set.of())) {
                if (name.equals(t.getKey() + suffix)) {
                    return t.getKey();
                }
            }
        }
        throw new AssertionError("sample of no TYPE-declared family");
    }

    /** Reads {@code {a="x",b="y"}} and returns it with the labels sorted; empty when absent. */
    private static String labels(String block) {
        if (block == null) {
            return "";
        }
        Map<String, String> labels = new TreeMap<>();
        String s = block.substring(1, block.length() - 1);
        int i = 0;
        while (i < s.length()) {
            Matcher name = LABEL_NAME.matcher(s).region(i, s.length());
            check(name.lookingAt(), "bad label name at " + i);
            check(!name.group().startsWith("__"), "reserved label name " + name.group());
            i = name.end();
            check(s.startsWith("=\"", i), "expected =\" after " + name.group());
            int end = i + 2;
            while (end < s.length() && s.charAt(end) != '"') {
                if (s.charAt(end) == '\\') {
                    check(end + 1 < s.length() && "\\\"n".indexOf(s.charAt(end + 1)) >= 0, "bad escape");
                    end++;
                }
                end++;
            }
            check(end < s.length(), "unterminated label value");
            check(labels.put(name.group(), s.substring(i + 2, end)) == null, "repeated label " + name.group());
            i = end + 1;
            if (i < s.length()) {
                check(s.charAt(i) == ',', "expected , between labels");
                i++;
            }
        }
        StringBuilder sorted = new StringBuilder("{");
        labels.forEach((k, v) -> sorted.append(sorted.length() > 1 ? "," : "").append(k).append("=\"").append(v).append('"'));
        return labels.isEmpty() ? "" : sorted.append('}').toString();
    }

    private static void check(boolean ok, String problem) {
        if (!ok) {
            throw new AssertionError(problem);
        }
    }
}
