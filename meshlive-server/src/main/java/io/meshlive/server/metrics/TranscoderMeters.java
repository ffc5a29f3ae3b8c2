package io.meshlive.server.metrics;

import io.meshlive.transcode.video.Transcoder;
import io.meshlive.transcode.video.Transcoders;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each live rendition's output frame rate, transcode delay (source frame in to rendition frame
 * in, since the rendition started) and dropped pictures. Meters of renditions that stopped are
 * removed at the next scrape.
 */
final class TranscoderMeters {
    private static final double MICROS_PER_SECOND = 1_000_000;

    private final MeterRegistry registry;
    private final Transcoders transcoders;
    private final Map<String, PerRendition> live = new HashMap<>();

    TranscoderMeters(MeterRegistry registry, Transcoders transcoders) {
        this.registry = registry;
        this.transcoders = transcoders;
    }

    void refresh() {
        Set<String> current = new HashSet<>();
        for (Transcoder.Status t : transcoders.status()) {
            for (Transcoder.RenditionStatus r : t.renditions()) {
                current.add(r.stream());
                live.computeIfAbsent(r.stream(), s -> new PerRendition(t.source(), r.name(), s)).read(r);
            }
        }
        live.entrySet().removeIf(e -> {
            if (current.contains(e.getKey())) {
                return false;
            }
            e.getValue().meters.forEach(registry::remove);
            return true;
        });
    }

    private final class PerRendition {
        final List<Meter> meters = new ArrayList<>();
        double fps;
        double p50;
        double p99;
        long dropped;

        PerRendition(String source, String name, String stream) {
            Tags tags = Tags.of("source", source, "rendition", name, "stream", stream);
            meters.add(Gauge.builder("meshlive.transcode.fps", this, p -> p.fps)
                    .description("Video frames per second a rendition publishes").tags(tags).register(registry));
            meters.add(Gauge.builder("meshlive.transcode.delay.seconds", this, p -> p.p50)
                    .description("Transcode delay per frame, source frame in to rendition frame in")
                    .tags(tags).tag("quantile", "0.5").register(registry));
            meters.add(Gauge.builder("meshlive.transcode.delay.seconds", this, p -> p.p99)
                    .description("Transcode delay per frame, source frame in to rendition frame in")
                    .tags(tags).tag("quantile", "0.99").register(registry));
            meters.add(Gauge.builder("meshlive.transcode.dropped.frames", this, p -> p.dropped)
                    .description("Pictures a rendition's encoder was too far behind to take").tags(tags).register(registry));
        }

        void read(Transcoder.RenditionStatus r) {
            fps = r.fpsOut();
            boolean empty = r.delayMicros().count() == 0;
            p50 = empty ? Double.NaN : r.delayMicros().p50() / MICROS_PER_SECOND;
            p99 = empty ? Double.NaN : r.delayMicros().p99() / MICROS_PER_SECOND;
            dropped = r.droppedFrames();
        }
    }
}
