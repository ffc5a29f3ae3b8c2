package io.meshlive.bench.play;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One report line: how the players did between two samples.
 *
 * <p>Per-player rates count only players connected at both samples, so a player connecting
 * mid-interval does not drag the minimum down. A player is behind when, more than
 * {@link #WARM_UP_NANOS} after its first picture, its media time advanced less than
 * {@link #BEHIND_RATIO} of the wall time.
 */
public record IntervalReport(double elapsedSeconds, int players, int connected, double mbps, double videoFps,
                             double minPlayerMbps, double p10PlayerMbps, double medianPlayerMbps,
                             int behind, int closed, int failed) {
    static final long WARM_UP_NANOS = 2_000_000_000L;
    static final double BEHIND_RATIO = 0.8;

    /** {@code previous} and {@code current} list the same players in the same order. */
    static IntervalReport between(List<PlayerResult> previous, List<PlayerResult> current, long elapsedNanos) {
        double[] rates = new double[current.size()];
        int rated = 0;
        int connected = 0;
        int behind = 0;
        int closed = 0;
        int failed = 0;
        double bitsPerSecond = 0;
        double fps = 0;
        for (int i = 0; i < current.size(); i++) {
            PlayerResult before = previous.get(i);
            PlayerResult now = current.get(i);
            switch (now.state()) {
                case CONNECTED -> connected++;
                case CLOSED -> closed++;
                case FAILED -> failed++;
                default -> {
                }
            }
            double seconds = (now.sampledAtNanos() - before.sampledAtNanos()) / 1e9;
            if (seconds <= 0) {
                continue;
            }
            double rate = (now.bytes() - before.bytes()) * 8 / seconds;
            bitsPerSecond += rate;
            fps += (now.videoFrames() - before.videoFrames()) / seconds;
            if (before.connected() && now.connected()) {
                rates[rated++] = rate / 1e6;
                if (isBehind(before, now, seconds)) {
                    behind++;
                }
            }
        }
        double[] sorted = Arrays.copyOf(rates, rated);
        Arrays.sort(sorted);
        return new IntervalReport(elapsedNanos / 1e9, current.size(), connected, bitsPerSecond / 1e6, fps,
                Percentile.of(sorted, 0), Percentile.of(sorted, 10), Percentile.of(sorted, 50), behind, closed, failed);
    }

    private static boolean isBehind(PlayerResult before, PlayerResult now, double seconds) {
        if (now.firstVideoAtNanos() == 0 || now.sampledAtNanos() - now.firstVideoAtNanos() < WARM_UP_NANOS
                || before.lastMediaTimestamp() < 0) {
            return false;
        }
        int progressMillis = (int) (now.lastMediaTimestamp() - before.lastMediaTimestamp()); // RTMP time wraps at 32 bits
        return progressMillis < BEHIND_RATIO * seconds * 1000;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "%7.1fs  players %d/%d  %8.1f Mbit/s  %7.0f video fps  per player Mbit/s min %s p10 %s median %s"
                        + "  behind %d  closed %d  failed %d",
                elapsedSeconds, connected, players, mbps, videoFps, rate(minPlayerMbps), rate(p10PlayerMbps),
                rate(medianPlayerMbps), behind, closed, failed);
    }

    /** No player was connected through the whole interval (the first one, say): no rate to show. */
    private static String rate(double mbps) {
        return Double.isNaN(mbps) ? "-" : String.format(Locale.ROOT, "%.2f", mbps);
    }
}
