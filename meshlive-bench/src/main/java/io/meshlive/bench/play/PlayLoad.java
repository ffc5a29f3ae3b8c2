package io.meshlive.bench.play;

import io.meshlive.core.Transport;
import io.meshlive.bench.EventLoops;
import io.meshlive.bench.ReportClock;
import io.meshlive.bench.StreamUrl;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code bench play}: many players on few event loops (one by default), a report line per
 * interval, and a summary with the server's own figures at the end.
 */
public final class PlayLoad {
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;
    private static final long WARM_UP_LIMIT_NANOS = 5_000_000_000L;
    /** How long stopping waits for the server to answer the WHEP players' DELETEs. */
    private static final long GOODBYE_LIMIT_SECONDS = 10;

    private final PlayOptions options;
    private final PrintStream out;
    private final ReportClock clock;
    /** The players of the run in progress (none before it starts), for {@link #sample}. */
    private volatile List<LoopPlayers> playing = List.of();

    public PlayLoad(PlayOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.clock = new ReportClock(options.reportEvery(), options.duration());
    }

    public static PlaySummary run(PlayOptions options, PrintStream out) throws InterruptedException {
        return new PlayLoad(options, out).run();
    }

    /** Ends the run early (Ctrl-C); {@link #run} still sums up and returns. */
    public void stop() {
        clock.stop();
    }

    /** From any thread while {@link #run} runs: every player's state now (none before the players start). */
    public List<PlayerResult> sample() throws InterruptedException {
        return EventLoops.sample(playing);
    }

    public PlaySummary run() throws InterruptedException {
        EventLoopGroup group = Transport.group(options.threads(), "bench-play");
        WhepResources whep = options.urls().stream().anyMatch(StreamUrl::whep) ? new WhepResources(options.rembKbps(), options.joinTimeout(), options.sendDelay()) : null;
        try {
            Bootstrap bootstrap = new Bootstrap()
                    .group(group)
                    .channel(Transport.socketChannel())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS);
            warmUp(group, bootstrap, whep);
            List<LoopPlayers> loops = distribute(group, bootstrap, whep);
            out.printf(Locale.ROOT, "playing %s: %d players on %d %s event loop(s)%s, %s, for %d s%n",
                    options.urls(), options.players(), options.threads(), Transport.name(),
                    options.drainEvery().isZero() ? "" : ", draining every " + options.drainEvery().toMillis() + " ms",
                    options.rampPerSecond() > 0 ? "ramp " + options.rampPerSecond() + "/s" : "all at once",
                    options.duration().toSeconds());
            clock.start();
            loops.forEach(LoopPlayers::start);
            playing = loops;
            List<PlayerResult> last = EventLoops.sample(loops);
            while (clock.awaitReport()) {
                List<PlayerResult> current = EventLoops.sample(loops);
                out.println(IntervalReport.between(last, current, clock.elapsedNanos()));
                last = current;
            }
            List<PlayerResult> results = EventLoops.sample(loops);
            double seconds = clock.elapsedNanos() / 1e9;
            ServerStats server = options.statsUrl() == null ? null : ServerStats.fetch(options.statsUrl(), streamKeys());
            stopPlayers(loops);
            PlaySummary summary = new PlaySummary(seconds, results, server);
            out.print(summary.describe());
            return summary;
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            if (whep != null) {
                whep.close();
            }
        }
    }

    /** Stops every player on its loop and waits (bounded) until the WHEP sessions are deleted. */
    private static void stopPlayers(List<LoopPlayers> loops) throws InterruptedException {
        List<CompletableFuture<Void>> goodbyes = new ArrayList<>();
        for (LoopPlayers lp : loops) {
            try {
                goodbyes.add(lp.loop().submit(lp::stop).get());
            } catch (ExecutionException e) {
                throw new IllegalStateException("stopping players failed on their event loop", e.getCause());
            }
        }
        try {
            CompletableFuture.allOf(goodbyes.toArray(CompletableFuture<?>[]::new)).get(GOODBYE_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // The DELETEs are a courtesy: the server also ends a silent session at its consent timeout.
        }
    }

    /**
     * Plays each URL once, untimed, until the first picture: a JVM's first connection pays for
     * class loading and cold code (a quarter of a second here), which the first players' time to
     * first frame would otherwise blame on the server. WHEP players first warm the DTLS code
     * with handshakes in memory ({@link WhepResources#warmUp}).
     */
    private void warmUp(EventLoopGroup group, Bootstrap bootstrap, WhepResources whep) throws InterruptedException {
        if (whep != null) {
            out.println("warm-up: " + whep.warmUp());
        }
        List<Player> players = new ArrayList<>();
        for (StreamUrl url : new LinkedHashSet<>(options.urls())) {
            players.add(new Player(-1 - players.size(), url));
        }
        LoopPlayers warm = new LoopPlayers(EventLoops.of(group).get(0), bootstrap, players, 0, whep, Duration.ZERO);
        long deadline = System.nanoTime() + WARM_UP_LIMIT_NANOS;
        warm.start();
        List<PlayerResult> results;
        do {
            Thread.sleep(20);
            results = EventLoops.sample(List.of(warm));
        } while (System.nanoTime() < deadline && results.stream().anyMatch(r -> !r.hasVideo() && !r.ended()));
        stopPlayers(List.of(warm));
        for (PlayerResult r : results) {
            String outcome = r.hasVideo() ? String.format(Locale.ROOT, "first frame after %.1f ms", r.timeToFirstFrameNanos() / 1e6)
                    : r.ended() ? r.state().name().toLowerCase(Locale.ROOT) + ": " + r.reason()
                    : "no video within " + WARM_UP_LIMIT_NANOS / 1_000_000_000 + " s";
            out.println("warm-up: " + r.url() + " " + outcome);
        }
    }

    /** Player i plays URL i mod n and lives on loop i mod threads. */
    private List<LoopPlayers> distribute(EventLoopGroup group, Bootstrap bootstrap, WhepResources whep) {
        List<Player> players = new ArrayList<>();
        for (int i = 0; i < options.players(); i++) {
            players.add(new Player(i, options.urls().get(i % options.urls().size())));
        }
        List<EventLoop> executors = EventLoops.of(group);
        List<List<Player>> dealt = EventLoops.deal(players, executors.size());
        List<LoopPlayers> loops = new ArrayList<>();
        for (int i = 0; i < executors.size(); i++) {
            loops.add(new LoopPlayers(executors.get(i), bootstrap, dealt.get(i), options.rampPerSecond() / executors.size(), whep,
                    options.drainEvery()));
        }
        return loops;
    }

    private Set<String> streamKeys() {
        Set<String> keys = new LinkedHashSet<>();
        for (StreamUrl u : options.urls()) {
            keys.add(u.app() + "/" + u.streamName());
        }
        return keys;
    }
}
