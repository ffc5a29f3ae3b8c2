package io.meshlive.cluster.staticrelay;

import io.meshlive.core.StreamKey;
import io.meshlive.rtmp.client.RtmpUrl;

import java.net.URI;

/**
 * What one static relay does: pull {@code url} into the local stream {@code key} (as its
 * publisher), or push the local stream {@code key} to {@code url}. Pulls take rtmp[s]:// and
 * http[s]:// (HTTP-FLV) URLs; pushes take rtmp[s]:// URLs.
 */
public record RelaySpec(Kind kind, String url, StreamKey key) {
    public enum Kind {
        PULL, PUSH;

        public String lower() {
            return name().toLowerCase();
        }
    }

    /** The longest URL accepted: config and API input, kept bounded. */
    static final int MAX_URL = 2048;

    /**
     * Checks a relay's fields; a problem throws {@link IllegalArgumentException} whose message
     * starts with the field at fault ({@code url}, {@code app}, {@code stream}) and says what to fix.
     */
    public static RelaySpec of(Kind kind, String url, String app, String stream) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url: required, e.g. rtmp://host/live/name" + (kind == Kind.PULL ? " or http://host/live/name.flv" : ""));
        }
        if (url.length() > MAX_URL) {
            throw new IllegalArgumentException("url: longer than " + MAX_URL + " characters");
        }
        if (isHttp(url)) {
            if (kind == Kind.PUSH) {
                throw new IllegalArgumentException("url: a push goes to rtmp:// or rtmps://, not '" + quoted(url) + "'");
            }
            try {
                URI uri = URI.create(url);
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException("no host");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("url: '" + quoted(url) + "' is not http[s]://host[:port]/path (" + e.getMessage() + ")");
            }
        } else {
            try {
                RtmpUrl.parse(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("url: " + e.getMessage() + (kind == Kind.PULL ? " (or http[s]:// for HTTP-FLV)" : ""));
            }
        }
        if (app == null || app.isBlank()) {
            throw new IllegalArgumentException("app: required (the local stream is app/stream)");
        }
        if (stream == null || stream.isBlank()) {
            throw new IllegalArgumentException("stream: required (the local stream is app/stream)");
        }
        StreamKey key;
        try {
            key = new StreamKey(app, stream);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("app/stream: " + e.getMessage());
        }
        return new RelaySpec(kind, url, key);
    }

    static boolean isHttp(String url) {
        String lower = url.toLowerCase();
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    /** The URL without its query string, which may carry a secret (a stream key's token): for logs and the API. */
    public String redactedUrl() {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?...";
    }

    private static String quoted(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
