package io.meshlive.bench.publish;

import io.meshlive.bench.StreamUrl;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What to publish and for how long.
 *
 * @param file       an FLV file to send, or null for {@code synthetic}
 * @param synthetic  a generated stream, or null for {@code file}
 * @param namePrefix with {@code count} streams, they are named prefix0..prefix{count-1}; null means the URL's stream name
 * @param duration   null runs until stopped (or until the file ends)
 */
public record PublishOptions(StreamUrl url, Path file, boolean loop, SyntheticStream synthetic, int count,
                             String namePrefix, Duration duration, Duration reportEvery, int threads) {
    public PublishOptions {
        if ((file == null) == (synthetic == null)) {
            throw new IllegalArgumentException("publish either a file or a synthetic stream");
        }
        if (!url.rtmp()) {
            throw new IllegalArgumentException("publishing needs an rtmp:// URL, not " + url);
        }
        if (count < 1 || threads < 1 || reportEvery.isNegative() || reportEvery.isZero()) {
            throw new IllegalArgumentException("need at least one stream and thread, and a positive report interval");
        }
    }

    /** The URL of every stream to publish. */
    public List<StreamUrl> streams() {
        if (count == 1 && namePrefix == null) {
            return List.of(url);
        }
        String prefix = namePrefix != null ? namePrefix : url.streamName();
        List<StreamUrl> urls = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            urls.add(url.withStream(prefix + i));
        }
        return urls;
    }
}
