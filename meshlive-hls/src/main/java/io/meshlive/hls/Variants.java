package io.meshlive.hls;

import io.meshlive.core.StreamKey;

import java.util.List;

/**
 * The ABR ladder a stream is part of: its source and the renditions transcoded from it, which
 * the source's master playlists list and each LL-HLS rendition playlist reports on.
 */
@FunctionalInterface
public interface Variants {
    Variants NONE = member -> List.of();

    /** The streams of the ladder {@code member} is the source or a rendition of, source first; empty when none. */
    List<StreamKey> ladderOf(StreamKey member);
}
