package io.meshlive.server.metrics;

import io.meshlive.core.Stream;
import io.meshlive.core.StreamStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stream counts, and each live stream's egress latency and skipped frames. A stream's meters are
 * removed once it leaves the registry, so the scrape does not grow with every stream ever seen.
 */
final class StreamMeters {
    private static final double[] QUANTILES = {0.5, 0.9, 0.99};
    private static final double MICROS_PER_SECOND = 1_000_000;

    private final MeterRegistry registry;
    // Keyed by instance, not by name: a stream that closes and is published again under the same
    // name is a new Stream with fresh stats, and its meters must read those.
    private final Map<Stream, PerStream> live = new HashMap<>();
    private int streams;
    private int publishing;

    StreamMeters(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("meshlive.streams", this, m -> m.streams)
                .description("Streams on this node")
                .register(registry);
        Gauge.builder("meshlive.streams.publishing", this, m -> m.publishing)
                .description("Streams on this node that have a publisher")
                .register(registry);
    }

    void refresh(List<Stream> all) {
        Set<Stream> current = new HashSet<>(all);
        // Gone streams first: a successor with the same name gets the same meter ids, and the
        // registry would hand back the old meters while they are still registered.
        for (Iterator<PerStream> it = live.values().iterator(); it.hasNext(); ) {
            PerStream p = it.next();
            if (!current.contains(p.stream)) {
                p.meters.forEach(registry::remove);
                it.remove();
            }
        }
        publishing = 0;
        for (Stream s : all) {
            live.computeIfAbsent(s, PerStream::new).readLatency();
            if (s.publisher() != null) {
                publishing++;
            }
        }
        streams = all.size();
    }

    /**
     * One stream's meters. The latency gauges show the stream's last closed latency interval
     * (the stats reporter rolls it), read once per scrape so the quantiles and the max agree.
     */
    private final class PerStream {
        final Stream stream;
        final List<Meter> meters = new ArrayList<>();
        final double[] quantileSeconds = new double[QUANTILES.length];
        double maxSeconds;

        PerStream(Stream stream) {
            this.stream = stream;
            StreamStats stats = stream.stats();
            Tags tags = Tags.of("app", stream.key().app(), "stream", stream.key().name());
            for (int i = 0; i < QUANTILES.length; i++) {
                int q = i;
                meters.add(Gauge.builder("meshlive.egress.latency.seconds", this, p -> p.quantileSeconds[q])
                        .description("Server-added latency of egress writes (frame arrival to write done), last interval")
                        .tags(tags).tag("quantile", Double.toString(QUANTILES[i]))
                        .register(registry));
            }
            meters.add(Gauge.builder("meshlive.egress.latency.seconds.max", this, p -> p.maxSeconds)
                    .description("Largest server-added egress latency, last interval")
                    .tags(tags)
                    .register(registry));
            meters.add(FunctionCounter.builder("meshlive.skipped.frames", stats, StreamStats::skippedFrames)
                    .description("Frames not sent to a viewer because it was behind its latency budget")
                    .tags(tags)
                    .register(registry));
        }

        void readLatency() {
            Histogram h = stream.stats().recentLatency();
            // Like a Prometheus summary, an interval without writes has no quantiles, not zero ones.
            boolean empty = h.getTotalCount() == 0;
            for (int i = 0; i < QUANTILES.length; i++) {
                quantileSeconds[i] = empty ? Double.NaN : h.getValueAtPercentile(QUANTILES[i] * 100) / MICROS_PER_SECOND;
            }
            maxSeconds = empty ? Double.NaN : h.getMaxValue() / MICROS_PER_SECOND;
        }
    }
}
