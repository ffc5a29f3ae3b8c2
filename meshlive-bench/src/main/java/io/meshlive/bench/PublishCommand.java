package io.meshlive.bench;

import io.meshlive.bench.publish.PublishLoad;
import io.meshlive.bench.publish.PublishOptions;
import io.meshlive.bench.publish.PublisherResult;
import io.meshlive.bench.publish.SyntheticStream;
import io.meshlive.bench.publish.VideoSize;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code bench publish}: one or many RTMP publishers. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Publishes over RTMP in real time (like ffmpeg -re): an FLV file, or synthetic streams.",
                "A synthetic stream has a real onMetaData and real AVC (SPS/PPS for --size) and AAC-LC sequence"
                        + " headers, then H.264 frames of random bytes sized to the bit rate with a keyframe every --gop"
                        + " frames, and 200-byte AAC frames every 1024 samples at 44.1 kHz. Servers and the bench's"
                        + " players do not decode, so that is enough; a player that decodes shows garbage.",
                "Exit status: 0 unless a publisher failed to start or was cut off."})
final class PublishCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, converter = Units.UrlConverter.class, paramLabel = "URL",
            description = "rtmp://host[:port]/app/stream")
    StreamUrl url;

    @ArgGroup(multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--file", paramLabel = "FLV", description = "send this FLV file")
        Path file;

        @Option(names = "--synthetic", description = "send a generated stream")
        boolean synthetic;
    }

    @Option(names = "--loop", description = "with --file: start over at the end, timestamps carrying on")
    boolean loop;

    @Option(names = "--bitrate", defaultValue = "2000k", converter = Units.BitrateConverter.class, paramLabel = "RATE",
            description = "synthetic video bit rate; audio adds ~69 kbit/s (default ${DEFAULT-VALUE})")
    long bitrate;

    @Option(names = "--fps", defaultValue = "30", paramLabel = "N", description = "synthetic frame rate (default ${DEFAULT-VALUE})")
    int fps;

    @Option(names = "--gop", defaultValue = "60", paramLabel = "FRAMES",
            description = "synthetic keyframe interval in frames (default ${DEFAULT-VALUE})")
    int gop;

    @Option(names = "--size", defaultValue = "1280x720", converter = VideoSize.Converter.class, paramLabel = "WxH",
            description = "synthetic picture size (default ${DEFAULT-VALUE})")
    VideoSize size;

    @Option(names = "--count", defaultValue = "1", paramLabel = "K", description = "streams to publish (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--name-prefix", paramLabel = "PREFIX",
            description = "name the streams PREFIX0..PREFIX{K-1} (default: the URL's stream name, unless K is 1)")
    String namePrefix;

    @Option(names = "--duration", converter = Units.DurationConverter.class, paramLabel = "TIME",
            description = "stop after this long (default: when interrupted, or when the file ends)")
    Duration duration;

    @Option(names = "--report", defaultValue = "1s", converter = Units.DurationConverter.class, paramLabel = "TIME",
            description = "report interval (default ${DEFAULT-VALUE})")
    Duration report;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "event loops (default ${DEFAULT-VALUE})")
    int threads;

    @Override
    public Integer call() throws Exception {
        SyntheticStream synthetic = source.synthetic ? new SyntheticStream(bitrate, fps, gop, size) : null;
        PublishOptions options = new PublishOptions(url, source.file, loop, synthetic, count, namePrefix, duration, report, threads);
        PublishLoad load = PublishLoad.start(options);
        List<PublisherResult> results = Interruptible.run(load::stop, () -> {
            try (load) {
                return load.report(System.out);
            }
        });
        return results.stream().anyMatch(PublisherResult::failed) ? 1 : 0;
    }
}
