package io.meshlive.hls;

import io.meshlive.core.StreamKey;

import java.util.List;

/** The other streams a stream's master playlist lists besides itself: its ABR ladder's renditions. */
@FunctionalInterface
public interface Variants {
    Variants NONE = source -> List.of();

    List<StreamKey> of(StreamKey source);
}
