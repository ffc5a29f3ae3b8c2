package io.meshlive.bench;

import io.meshlive.rtmp.client.RtmpUrl;

import java.net.InetSocketAddress;
import java.net.URI;

/**
 * Where a stream is played or published: {@code rtmp://host[:port]/app/stream},
 * {@code http://host[:port]/app/stream.flv} (HTTP-FLV), {@code http://host[:port]/app/stream/index.m3u8}
 * (LL-HLS, {@code hls} true) or {@code http://host[:port]/app/stream/whep} (WebRTC, {@code whep} true),
 * or SRS's WHEP endpoint, {@code http://host[:port]/rtc/v1/whep/?app=app&stream=stream} ({@code whep}
 * and {@code srs} true), so the same players drive both servers.
 * The stream name keeps any query string, which is how signed URLs carry their token.
 */
public record StreamUrl(boolean rtmp, String host, int port, String app, String stream, boolean hls, boolean whep, boolean srs) {
    private static final String LL_HLS_PLAYLIST = "/index.m3u8";
    private static final String WHEP_ENDPOINT = "/whep";
    /** SRS names the stream in the query of one endpoint for every stream. */
    private static final String SRS_WHEP_PATH = "/rtc/v1/whep/";

    public StreamUrl(boolean rtmp, String host, int port, String app, String stream) {
        this(rtmp, host, port, app, stream, false, false, false);
    }

    public static final int RTMP_PORT = 1935;
    public static final int HTTP_PORT = 8080;

    public static StreamUrl parse(String text) {
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad URL '" + text + "': " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        boolean rtmp = scheme.equals("rtmp");
        if (!rtmp && !scheme.equals("http")) {
            throw new IllegalArgumentException("URL '" + text + "' is neither rtmp:// nor http://");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!rtmp && (path.equals(SRS_WHEP_PATH) || path.equals(SRS_WHEP_PATH.substring(0, SRS_WHEP_PATH.length() - 1)))) {
            return parseSrsWhep(text, uri);
        }
        int slash = path.indexOf('/', 1);
        if (uri.getHost() == null || !path.startsWith("/") || slash < 0 || slash == path.length() - 1) {
            throw new IllegalArgumentException("URL '" + text + "' is not " + scheme + "://host[:port]/app/stream"
                    + (rtmp ? "" : ".flv"));
        }
        String stream = path.substring(slash + 1);
        boolean hls = !rtmp && stream.endsWith(".m3u8");
        boolean whep = !rtmp && stream.endsWith(WHEP_ENDPOINT);
        if (whep) {
            stream = stream.substring(0, stream.length() - WHEP_ENDPOINT.length());
            if (stream.isEmpty() || stream.contains("/")) {
                throw new IllegalArgumentException("WHEP URL '" + text + "' is not http://host[:port]/app/stream/whep");
            }
        } else if (hls) {
            if (!stream.endsWith(LL_HLS_PLAYLIST) || stream.length() == LL_HLS_PLAYLIST.length()
                    || stream.indexOf('/') != stream.length() - LL_HLS_PLAYLIST.length()) {
                throw new IllegalArgumentException("HLS URL '" + text + "' is not http://host[:port]/app/stream/index.m3u8"
                        + " (only LL-HLS is played)");
            }
            stream = stream.substring(0, stream.length() - LL_HLS_PLAYLIST.length());
        } else if (!rtmp) {
            if (!stream.endsWith(".flv")) {
                throw new IllegalArgumentException("HTTP URL '" + text + "' ends neither in .flv, /index.m3u8 nor /whep");
            }
            stream = stream.substring(0, stream.length() - 4);
        }
        if (uri.getRawQuery() != null) {
            stream += "?" + uri.getRawQuery();
        }
        int port = uri.getPort() > 0 ? uri.getPort() : rtmp ? RTMP_PORT : HTTP_PORT;
        return new StreamUrl(rtmp, uri.getHost(), port, path.substring(1, slash), stream, hls, whep, false);
    }

    /** {@code http://host[:port]/rtc/v1/whep/?app=A&stream=S[&more]}: the other parameters stay the stream's query. */
    private static StreamUrl parseSrsWhep(String text, URI uri) {
        String app = null;
        String stream = null;
        StringBuilder rest = new StringBuilder();
        for (String parameter : uri.getRawQuery() == null ? new String[0] : uri.getRawQuery().split("&")) {
            if (parameter.startsWith("app=")) {
                app = parameter.substring(4);
            } else if (parameter.startsWith("stream=")) {
                stream = parameter.substring(7);
            } else if (!parameter.isEmpty()) {
                rest.append(rest.length() == 0 ? "" : "&").append(parameter);
            }
        }
        if (uri.getHost() == null || app == null || app.isEmpty() || stream == null || stream.isEmpty()) {
            throw new IllegalArgumentException("SRS WHEP URL '" + text + "' is not http://host[:port]" + SRS_WHEP_PATH + "?app=APP&stream=STREAM");
        }
        return new StreamUrl(false, uri.getHost(), uri.getPort() > 0 ? uri.getPort() : HTTP_PORT, app,
                rest.length() == 0 ? stream : stream + "?" + rest, false, true, true);
    }

    /** The same place with another stream name. */
    public StreamUrl withStream(String name) {
        return new StreamUrl(rtmp, host, port, app, name, hls, whep, srs);
    }

    /** The stream name without its query string, as the server lists it. */
    public String streamName() {
        int q = stream.indexOf('?');
        return q < 0 ? stream : stream.substring(0, q);
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    /** The connect command's tcUrl: the URL up to the app. */
    public String tcUrl() {
        return rtmpUrl().tcUrl();
    }

    /** This place as meshlive-rtmp's client takes it (an rtmp:// URL). */
    public RtmpUrl rtmpUrl() {
        return new RtmpUrl(false, host, port, app, stream);
    }

    /**
     * The HTTP request target: {@code /app/stream.flv?query}, {@code /app/stream/index.m3u8?query},
     * {@code /app/stream/whep?query} or SRS's {@code /rtc/v1/whep/?app=app&stream=stream&query}.
     */
    public String httpTarget() {
        if (srs) {
            return SRS_WHEP_PATH + "?app=" + app + "&stream=" + streamName() + (query().isEmpty() ? "" : "&" + query());
        }
        int q = stream.indexOf('?');
        String suffix = hls ? LL_HLS_PLAYLIST : whep ? WHEP_ENDPOINT : ".flv";
        return "/" + app + "/" + (q < 0 ? stream + suffix : stream.substring(0, q) + suffix + stream.substring(q));
    }

    /** Where an LL-HLS playlist's relative URIs resolve: {@code /app/stream/}. */
    public String hlsBase() {
        return "/" + app + "/" + streamName() + "/";
    }

    /** The query string of the URL without its '?', or empty. */
    public String query() {
        int q = stream.indexOf('?');
        return q < 0 ? "" : stream.substring(q + 1);
    }

    /** The server's stream API: on the HTTP port of the same host (8080 when this URL is RTMP). */
    public URI defaultStatsUrl() {
        return URI.create("http://" + host + ":" + (rtmp ? HTTP_PORT : port) + "/api/v1/streams");
    }

    @Override
    public String toString() {
        return rtmp ? tcUrl() + "/" + stream : "http://" + host + ":" + port + httpTarget();
    }
}
