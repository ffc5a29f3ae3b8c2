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
 *
 * <p>An LL-HLS player's parts count as its video frames; its playlist reloads, stalls (503: not
 * produced within the server's blocking timeout) and other HTTP errors in the interval are shown
 * when there are LL-HLS players; a WHEP player's lost RTP packets (sequence gaps) when there are
 * WHEP players.
 */
public record IntervalReport(double elapsedSeconds, int players, int connected, double mbps, double videoFps,
                             double minPlayerMbps, double p10PlayerMbps, double medianPlayerMbps,
                             int behind, int closed, int failed,
                             int hlsPlayers, double reloadsPerSecond, long stalls, long httpErrors,
                             int whepPlayers, long lostPackets) {
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
        int hlsPlayers = 0;
        double reloads = 0;
        long stalls = 0;
        long httpErrors = 0;
        int whepPlayers = 0;
        long lost = 0;
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
            if (now.hls() != null && before.hls() != null) {
                hlsPlayers++;
                reloads += (now.hls().reloads() - before.hls().reloads()) / seconds;
                stalls += now.hls().stalls() - before.hls().stalls();
                httpErrors += now.hls().httpErrors() - before.hls().httpErrors();
            }
            if (now.whep() != null && before.whep() != null) {
                whepPlayers++;
                lost += now.whep().lostPackets() - before.whep().lostPackets();
            }
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
                Percentile.of(sorted, 0), Percentile.of(sorted, 10), Percentile.of(sorted, 50), behind, closed, failed,
                hlsPlayers, reloads, stalls, httpErrors, whepPlayers, lost);
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
        String frames = hlsPlayers == 0 ? "video fps" : hlsPlayers == players ? "parts/s" : "video fps+parts/s";
        String line = String.format(Locale.ROOT,
                "%7.1fs  players %d/%d  %8.1f Mbit/s  %7.0f %s  per player Mbit/s min %s p10 %s median %s"
                        + "  behind %d  closed %d  failed %d",
                elapsedSeconds, connected, players, mbps, videoFps, frames, rate(minPlayerMbps), rate(p10PlayerMbps),
                rate(medianPlayerMbps), behind, closed, failed);
        if (hlsPlayers > 0) {
            line += String.format(Locale.ROOT, "  reloads/s %.0f  stalls %d  http errors %d", reloadsPerSecond, stalls, httpErrors);
        }
        return whepPlayers == 0 ? line : line + "  lost packets " + lostPackets;
    }

    /** No player was connected through the whole interval (the first one, say): no rate to show. */
    private static String rate(double mbps) {
        return Double.isNaN(mbps) ? "-" : String.format(Locale.ROOT, "%.2f", mbps);
    }
}
