package io.meshlive.bench.play;

import io.meshlive.bench.play.PlayerResult.State;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * How a play run went, taken just before the bench closed its players.
 *
 * @param server what the server reported, or null when it was not asked
 */
public record PlaySummary(double seconds, List<PlayerResult> players, ServerStats server) {
    public PlaySummary {
        players = List.copyOf(players);
    }

    public long count(Predicate<PlayerResult> which) {
        return players.stream().filter(which).count();
    }

    /** Connected to the end and received video. */
    public boolean everyPlayerPlayed() {
        return count(p -> p.connected() && p.hasVideo()) == players.size();
    }

    /** Sorted times to first frame of the players that got one, nanoseconds. */
    public long[] timesToFirstFrame() {
        return players.stream().mapToLong(PlayerResult::timeToFirstFrameNanos).filter(t -> t >= 0).sorted().toArray();
    }

    public String describe() {
        StringBuilder b = new StringBuilder();
        long rtmp = count(p -> p.url().rtmp());
        long hls = count(p -> p.url().hls());
        long whep = count(p -> p.url().whep());
        b.append(String.format(Locale.ROOT, "summary: %d players (%d rtmp, %d http-flv, %d ll-hls, %d whep) over %.1f s: %d connected at the end,"
                        + " %d closed by the server or an error, %d failed to connect, %d never started%n",
                players.size(), rtmp, players.size() - rtmp - hls - whep, hls, whep, seconds, count(PlayerResult::connected),
                count(p -> p.state() == State.CLOSED), count(p -> p.state() == State.FAILED),
                count(p -> p.state() == State.WAITING || p.state() == State.CONNECTING)));
        long[] ttff = timesToFirstFrame();
        b.append(String.format(Locale.ROOT, "  time to first frame%s (%d players with video): p50 %s  p90 %s  p99 %s  max %s%n",
                whep == 0 ? "" : whep == players.size() ? " (POST to first keyframe packet)" : " (WHEP: POST to first keyframe packet)",
                ttff.length, millis(Percentile.of(ttff, 50)), millis(Percentile.of(ttff, 90)),
                millis(Percentile.of(ttff, 99)), millis(Percentile.of(ttff, 100))));
        long bytes = players.stream().mapToLong(PlayerResult::bytes).sum();
        b.append(String.format(Locale.ROOT, "  received %.1f MB (%.1f Mbit/s over the run): %d video frames%s, %d audio frames, %d script data (onMetaData, cues)%n",
                bytes / 1e6, bytes * 8 / 1e6 / seconds, players.stream().mapToLong(PlayerResult::videoFrames).sum(),
                hls == 0 ? "" : " (LL-HLS parts)", players.stream().mapToLong(PlayerResult::audioFrames).sum(),
                players.stream().mapToLong(PlayerResult::scriptData).sum()));
        if (hls > 0) {
            b.append(describeHls());
        }
        if (whep > 0) {
            b.append(describeWhep());
        }
        Map<String, Integer> reasons = new TreeMap<>();
        for (PlayerResult p : players) {
            if (p.reason() != null) {
                reasons.merge(p.state().name().toLowerCase(Locale.ROOT) + ": " + p.reason(), 1, Integer::sum);
            }
        }
        reasons.forEach((reason, n) -> b.append(String.format(Locale.ROOT, "  %5d × %s%n", n, reason)));
        if (server != null) {
            b.append(server.describe());
        }
        return b.toString();
    }

    /** Summed over the LL-HLS players. */
    public HlsCounts hlsTotals() {
        long reloads = 0;
        long stalls = 0;
        long errors = 0;
        long notProduced = 0;
        long missing = 0;
        WaitHistogram waits = new WaitHistogram();
        for (PlayerResult p : players) {
            if (p.hls() != null) {
                reloads += p.hls().reloads();
                stalls += p.hls().stalls();
                errors += p.hls().httpErrors();
                notProduced += p.hls().hintsNotProduced();
                missing += p.hls().missingHints();
                waits.add(p.hls().partWaits());
            }
        }
        return new HlsCounts(reloads, stalls, errors, notProduced, missing, waits);
    }

    private String describeHls() {
        HlsCounts t = hlsTotals();
        WaitHistogram w = t.partWaits();
        return String.format(Locale.ROOT, "  LL-HLS: %d parts (%.0f/s), %d playlist loads (%.0f/s), %d stalls (503), %d other HTTP errors%n"
                        + "  LL-HLS server quirks: %d preload-hinted parts never produced (404), %d playlists without a preload hint%n"
                        + "  LL-HLS preload hint requested to part received: p50 %s  p90 %s  p99 %s  max %s (within 12.5%%)%n",
                w.count(), w.count() / seconds, t.reloads(), t.reloads() / seconds, t.stalls(), t.httpErrors(),
                t.hintsNotProduced(), t.missingHints(),
                millis(w.percentileNanos(50)), millis(w.percentileNanos(90)), millis(w.percentileNanos(99)),
                millis(w.percentileNanos(100)));
    }

    /** Summed over the WHEP players. */
    public WhepCounts whepTotals() {
        return players.stream().map(PlayerResult::whep).filter(w -> w != null).reduce(WhepCounts.NONE, WhepCounts::plus);
    }

    private String describeWhep() {
        WhepCounts t = whepTotals();
        long expected = t.rtpPackets() + t.lostPackets();
        // Which picture size (rendition) each player ended on.
        Map<String, Integer> sizes = new TreeMap<>();
        players.stream().map(PlayerResult::whep).filter(w -> w != null && w.videoWidth() > 0)
                .forEach(w -> sizes.merge(w.videoWidth() + "x" + w.videoHeight(), 1, Integer::sum));
        return String.format(Locale.ROOT, "  WHEP: %d SRTP packets, %d lost (%.3f%%), %d SRTCP packets, %d that did not decrypt;"
                        + " last SPS picture size (players) %s%n",
                t.rtpPackets(), t.lostPackets(), expected == 0 ? 0.0 : 100.0 * t.lostPackets() / expected, t.rtcpPackets(),
                t.undecryptable(), sizes) + describeJoinSteps();
    }

    /** Where WHEP joins spent their time, step by step, over the players that passed both ends of each step. */
    private String describeJoinSteps() {
        return "  WHEP join steps (p50 / p99 over the players that passed the step):"
                + step("POST to answer", p -> WhepJoin.between(p.whepJoin().postNanos(), p.whepJoin().answeredNanos()))
                + step("answer to ICE", p -> WhepJoin.between(p.whepJoin().answeredNanos(), p.whepJoin().iceNanos()))
                + step("ICE to DTLS done", p -> WhepJoin.between(p.whepJoin().iceNanos(), p.whepJoin().dtlsNanos()))
                + step("DTLS done to first keyframe packet", p -> WhepJoin.between(p.whepJoin().dtlsNanos(), p.firstVideoAtNanos()))
                + String.format("%n");
    }

    private String step(String name, ToLongFunction<PlayerResult> span) {
        long[] spans = players.stream().filter(p -> p.whepJoin() != null).mapToLong(span).filter(t -> t >= 0).sorted().toArray();
        return String.format(Locale.ROOT, "%n    %s: %s / %s (%d)", name, millis(Percentile.of(spans, 50)), millis(Percentile.of(spans, 99)),
                spans.length);
    }

    private static String millis(long nanos) {
        return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
