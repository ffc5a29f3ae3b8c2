package io.meshlive.server;

import io.meshlive.core.Hub;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamStats;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes every stream's latency interval on a fixed period and logs one line per live stream, on
 * its own thread so logging never runs on an event loop.
 */
final class StatsReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("stats");
    private final Hub hub;
    private final ScheduledExecutorService timer;

    StatsReporter(Hub hub, int intervalSeconds) {
        this.hub = hub;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meshlive-stats");
            t.setDaemon(true);
            return t;
        });
        int period = intervalSeconds > 0 ? intervalSeconds : 10;
        timer.scheduleAtFixedRate(() -> report(intervalSeconds > 0), period, period, TimeUnit.SECONDS);
    }

    private void report(boolean logIt) {
        List<Stream> live = new ArrayList<>();
        for (Stream s : hub.streams().all()) {
            s.stats().rollInterval();
            if (s.publisher() != null || s.subscriberCount() > 0) {
                live.add(s);
            }
        }
        if (!logIt || live.isEmpty()) {
            return;
        }
        if (live.size() > MAX_LINES) {
            // A node with many streams gets a summary and its busiest streams, not a line per stream.
            long viewers = live.stream().mapToLong(Stream::subscriberCount).sum();
            log.info("{} live streams, {} viewers; the {} with most viewers:", live.size(), viewers, MAX_LINES / 2);
            live.sort(Comparator.comparingInt(Stream::subscriberCount).reversed());
            live = live.subList(0, MAX_LINES / 2);
        }
        for (Stream s : live) {
            StreamStats st = s.stats();
            Histogram h = st.recentLatency();
            log.info("{}: {} viewer(s), in {} kbit/s {} fps, out {} kbit/s, latency p50 {} ms p99 {} ms max {} ms over {} writes, {} skipped",
                    s.key(), s.subscriberCount(), st.bitrateIn() / 1000, String.format("%.1f", st.frameRate()),
                    st.bitrateOut() / 1000, ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()),
                    h.getTotalCount(), st.skippedFrames());
        }
    }

    /** More live streams than this and the log gets a summary plus the busiest half of this. */
    private static final int MAX_LINES = 20;

    private static String ms(long micros) {
        return String.format("%.2f", micros / 1000.0);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
