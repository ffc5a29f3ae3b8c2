package io.meshlive.core;

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
    public enum Action {
        PUBLISH, PLAY;

        public String lower() {
            return name().toLowerCase();
        }
    }
}
