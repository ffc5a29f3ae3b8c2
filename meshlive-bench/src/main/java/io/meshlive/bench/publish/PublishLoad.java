package io.meshlive.bench.publish;

import io.meshlive.core.Transport;
import io.meshlive.bench.EventLoops;
import io.meshlive.bench.ReportClock;
import io.meshlive.bench.StreamUrl;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench publish}: one or many RTMP publishers sending a file or a synthetic stream in real
 * time. They start when this is created and stop when it is closed.
 */
public final class PublishLoad implements AutoCloseable {
    private final PublishOptions options;
    private final FlvFile file;
    private final EventLoopGroup group;
    private final List<LoopPublishers> loops = new ArrayList<>();
    private final ReportClock clock;

    private PublishLoad(PublishOptions options, FlvFile file) {
        this.options = options;
        this.file = file;
        this.clock = new ReportClock(options.reportEvery(), options.duration());
        this.group = Transport.group(options.threads(), "bench-publish");
        Bootstrap bootstrap = new Bootstrap().group(group).channel(Transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true);
        List<Publisher> publishers = new ArrayList<>();
        for (StreamUrl stream : options.streams()) {
            MediaSource source = file != null ? new FlvFileSource(file, options.loop())
                    : new SyntheticSource(ByteBufAllocator.DEFAULT, options.synthetic());
            publishers.add(new Publisher(stream, source));
        }
        List<EventLoop> executors = EventLoops.of(group);
        List<List<Publisher>> dealt = EventLoops.deal(publishers, executors.size());
        for (int i = 0; i < executors.size(); i++) {
            loops.add(new LoopPublishers(executors.get(i), bootstrap, dealt.get(i)));
        }
        clock.start();
        loops.forEach(LoopPublishers::start);
    }

    /** Loads the file, if any, and starts every publisher. */
    public static PublishLoad start(PublishOptions options) throws IOException {
        return new PublishLoad(options, options.file() == null ? null : FlvFile.load(options.file()));
    }

    /** Every publisher's counters. */
    public List<PublisherResult> sample() throws InterruptedException {
        return EventLoops.sample(loops);
    }

    /**
     * Prints a line per report interval until the duration is up, {@link #stop} is called or every
     * publisher has ended, then a summary; returns the last sample.
     */
    public List<PublisherResult> report(PrintStream out) throws InterruptedException {
        out.printf(Locale.ROOT, "publishing %d stream(s) to %s from %s on %d %s event loop(s)%n", options.count(),
                options.url().tcUrl(), options.file() != null ? options.file() + (options.loop() ? " (looped)" : "")
                        : "a synthetic " + options.synthetic(), options.threads(), Transport.name());
        List<PublisherResult> last = sample();
        while (clock.awaitReport()) {
            List<PublisherResult> current = sample();
            PublishInterval interval = PublishInterval.between(last, current, clock.elapsedNanos());
            out.println(interval);
            last = current;
            if (interval.ended() == current.size()) {
                break;
            }
        }
        last = sample();
        out.print(summary(last, clock.elapsedNanos() / 1e9));
        return last;
    }

    private static String summary(List<PublisherResult> results, double seconds) {
        long video = results.stream().mapToLong(PublisherResult::videoFrames).sum();
        long audio = results.stream().mapToLong(PublisherResult::audioFrames).sum();
        long bytes = results.stream().mapToLong(PublisherResult::bytes).sum();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "summary: %d stream(s) over %.1f s sent %d video and %d audio frames, %.1f MB (%.2f Mbit/s)%n",
                results.size(), seconds, video, audio, bytes / 1e6, bytes * 8 / 1e6 / seconds));
        Map<String, Integer> reasons = new TreeMap<>();
        results.stream().filter(r -> r.reason() != null).forEach(r -> reasons.merge(r.reason(), 1, Integer::sum));
        reasons.forEach((reason, n) -> b.append(String.format(Locale.ROOT, "  %5d × ended: %s%n", n, reason)));
        return b.toString();
    }

    /** Makes {@link #report} return early (Ctrl-C). */
    public void stop() {
        clock.stop();
    }

    /** Stops every publisher and releases the file. */
    @Override
    public void close() {
        for (LoopPublishers lp : loops) {
            lp.loop().execute(lp::stop);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (file != null) {
            file.close();
        }
    }
}
