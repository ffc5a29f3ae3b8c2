package io.meshlive.webrtc;

import io.meshlive.core.StreamKey;

import java.util.List;

/**
 * The renditions a stream may be transcoded to (the transcode configuration of its app), so a
 * WHEP viewer can move between them on its bandwidth estimate. Only those live in the hub are
 * played; a stream that is itself a rendition has none live, so a viewer who asked for one by
 * name stays on it.
 */
@FunctionalInterface
public interface RenditionLadder {
    RenditionLadder NONE = source -> List.of();

    /** @param bitsPerSecond the rendition's configured video bit rate */
    record Rendition(StreamKey key, long bitsPerSecond) {
    }

    /** The renditions of {@code source}, in any order; empty when its app has no ladder. */
    List<Rendition> renditionsOf(StreamKey source);
}
