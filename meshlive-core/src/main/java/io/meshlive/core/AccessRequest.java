package io.meshlive.core;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Someone wants to publish or play a stream: what the admission checks (forbid list, signed URL,
 * webhook) decide on.
 *
 * @param action    publish or play
 * @param protocol  "rtmp", "http-flv", "ws-flv"...
 * @param stream    the stream
 * @param query     the URL's query parameters (first value of each), e.g. expires and sign
 * @param clientIp  the peer's address, without port
 */
public record AccessRequest(Action action, String protocol, StreamKey stream, Map<String, String> query, String clientIp) {
    /** Parses {@code a=1&b=2} (first value of each name, URL-decoded); a null or empty query gives an empty map. */
    public static Map<String, String> parseQuery(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(name, value);
        }
        return out;
    }

    /** The IP of a socket address, without the port. */
    public static String ipOf(SocketAddress address) {
        return address instanceof InetSocketAddress a && a.getAddress() != null ? a.getAddress().getHostAddress() : String.valueOf(address);
    }

    public enum Action {
        PUBLISH, PLAY;

        public String lower() {
            return name().toLowerCase();
        }
    }
}
