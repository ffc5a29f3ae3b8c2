package io.meshlive.rtmp.client;

import java.net.URI;

/**
 * Where an RTMP client connects and what it plays or publishes: {@code rtmp://host[:port]/app/stream}
 * or {@code rtmps://...} (RTMP over TLS). The app is the first path segment, the stream everything
 * after it, as nginx-rtmp, SRS and the streaming platforms read it; the stream keeps the URL's
 * query string, which is how signed URLs and stream keys with parameters travel.
 */
public record RtmpUrl(boolean tls, String host, int port, String app, String stream) {
    public static final int RTMP_PORT = 1935;
    public static final int RTMPS_PORT = 443;

    /** Parses {@code text}; a URL that is not {@code rtmp[s]://host[:port]/app/stream} throws, saying so. */
    public static RtmpUrl parse(String text) {
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad URL '" + text + "': " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("rtmp") && !scheme.equals("rtmps")) {
            throw new IllegalArgumentException("URL '" + text + "' is neither rtmp:// nor rtmps://");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        int slash = path.indexOf('/', 1);
        if (uri.getHost() == null || !path.startsWith("/") || slash < 0 || slash == path.length() - 1) {
            throw new IllegalArgumentException("URL '" + text + "' is not " + scheme + "://host[:port]/app/stream");
        }
        boolean tls = scheme.equals("rtmps");
        String stream = path.substring(slash + 1) + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? RTMPS_PORT : RTMP_PORT;
        return new RtmpUrl(tls, uri.getHost(), port, path.substring(1, slash), stream);
    }

    /** The connect command's tcUrl: the URL up to the app. */
    public String tcUrl() {
        return (tls ? "rtmps://" : "rtmp://") + host + ":" + port + "/" + app;
    }

    /** The URL without the stream's query string, which may hold a secret (a stream key's token): for logs and the API. */
    public String redacted() {
        int q = stream.indexOf('?');
        return tcUrl() + "/" + (q < 0 ? stream : stream.substring(0, q) + "?...");
    }

    @Override
    public String toString() {
        return tcUrl() + "/" + stream;
    }
}
