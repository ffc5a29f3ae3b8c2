package io.meshlive.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator console: the static files under the classpath folder {@code console/}, read once
 * at start and served from memory at {@code /} and {@code /console/<name>}. Only the files named
 * here exist; any other name (including anything with {@code ..} or a slash) is not found.
 */
final class ConsoleAssets {
    static final String INDEX = "index.html";
    /** Every file of the console; a missing one stops the server at start (a broken build). */
    private static final List<String> FILES = List.of(INDEX, "mpegts.js", "mpegts.js.LICENSE.txt", "mpegts.js.Apache-2.0.txt",
            "hls.html", "hls.min.js", "hls.js.LICENSE.txt", "whep.html", "whip.html", "live.html", "frame-gaps.js");

    /** One file: its bytes and Content-Type. */
    record Asset(byte[] bytes, String contentType) {
    }

    private final Map<String, Asset> assets;

    private ConsoleAssets(Map<String, Asset> assets) {
        this.assets = assets;
    }

    static ConsoleAssets load() {
        Map<String, Asset> m = new LinkedHashMap<>();
        for (String name : FILES) {
            try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream("console/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("console/" + name + " is missing from the classpath");
                }
                m.put(name, new Asset(in.readAllBytes(), contentType(name)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read console/" + name, e);
            }
        }
        return new ConsoleAssets(Map.copyOf(m));
    }

    /** The file called {@code name} (no folder part), or null. */
    Asset get(String name) {
        if (name.isEmpty() || name.contains("..") || name.contains("/") || name.contains("\\")) {
            return null;
        }
        return assets.get(name);
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".txt")) {
            return "text/plain; charset=utf-8";
        }
        return "application/octet-stream";
    }
}
