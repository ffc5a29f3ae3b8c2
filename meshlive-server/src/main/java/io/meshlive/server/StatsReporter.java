package io.meshlive.server;

import io.meshlive.core.Hub;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamStats;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
        for (Stream s : hub.streams().all()) {
            StreamStats st = s.stats();
            Histogram h = st.rollInterval();
            if (logIt && (s.publisher() != null || s.subscriberCount() > 0)) {
                log.info("{}: {} viewer(s), in {} kbit/s {} fps, latency p50 {} ms p99 {} ms max {} ms over {} writes, {} skipped",
                        s.key(), s.subscriberCount(), st.bitrateIn() / 1000, String.format("%.1f", st.frameRate()),
                        ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()),
                        h.getTotalCount(), st.skippedFrames());
            }
        }
    }

    private static String ms(long micros) {
        return String.format("%.2f", micros / 1000.0);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
