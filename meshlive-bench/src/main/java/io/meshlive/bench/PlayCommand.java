package io.meshlive.bench;

import io.meshlive.bench.play.PlayLoad;
import io.meshlive.bench.play.PlayOptions;
import io.meshlive.bench.play.PlaySummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code bench play}: N players of one or more streams. */
@Command(name = "play", mixinStandardHelpOptions = true,
        description = {"Plays streams with many concurrent RTMP, HTTP-FLV, LL-HLS or WHEP players.",
                "An LL-HLS player (URL ending in /index.m3u8) does what hls.js does in low-latency mode on two keep-alive"
                        + " connections: blocking playlist reloads on one, the preload-hinted parts on the other;"
                        + " its parts are counted as video frames.",
                "A WHEP player (URL ending in /whep) posts an offer as a browser does, then runs ICE (STUN), DTLS and"
                        + " decrypts every SRTP packet; its time to first frame runs from the POST to the first keyframe"
                        + " packet, and lost RTP packets are counted. Stopping DELETEs each session.",
                "All players share one event loop by default and count bytes and frames; RTMP players are meshlive-rtmp's client,"
                        + " HTTP-FLV players skip media without copying it."
                        + " Prints a line per report interval, then a summary: time to first frame, totals, and the"
                        + " server's own latency figures (from --stats-url).",
                "Exit status: 0 when every player connected, got video and stayed connected; 1 otherwise."})
final class PlayCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, converter = Units.UrlConverter.class, paramLabel = "URL",
            description = "rtmp://host[:port]/app/stream, http://host[:port]/app/stream.flv,"
                    + " http://host[:port]/app/stream/index.m3u8 or http://host[:port]/app/stream/whep;"
                    + " repeat to mix (players take them in turn)")
    List<StreamUrl> urls;

    @Option(names = {"-n", "--players"}, defaultValue = "1", paramLabel = "N", description = "players (default ${DEFAULT-VALUE})")
    int players;

    @Option(names = "--duration", defaultValue = "60s", converter = Units.DurationConverter.class, paramLabel = "TIME",
            description = "how long to play, ramp included (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--ramp", defaultValue = "200/s", converter = Units.RateConverter.class, paramLabel = "RATE",
            description = "new players per second; 0 starts them all at once (default ${DEFAULT-VALUE})")
    double ramp;

    @Option(names = "--report", defaultValue = "1s", converter = Units.DurationConverter.class, paramLabel = "TIME",
            description = "report interval (default ${DEFAULT-VALUE})")
    Duration report;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "event loops (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--stats-url", paramLabel = "URL",
            description = "the server's stream API (default: http://<host>:8080/api/v1/streams for rtmp, the same host:port for http)")
    URI statsUrl;

    @Option(names = "--no-stats", description = "do not ask the server for its figures")
    boolean noStats;

    @Option(names = "--remb-kbps", defaultValue = "0", paramLabel = "KBPS",
            description = "WHEP: report this bandwidth estimate (RTCP REMB) every second, as a browser does;"
                    + " a server with a ladder moves the player to the rendition that fits (default: none)")
    long rembKbps;

    @Option(names = "--drain-every", defaultValue = "0s", converter = Units.DurationConverter.class, paramLabel = "TIME",
            description = "RTMP and HTTP-FLV players read their sockets only this often (e.g. 50ms), taking all"
                    + " that waits, as a player decoding on a timer does; 0 reads as data arrives (default ${DEFAULT-VALUE})")
    Duration drainEvery;

    @Option(names = "--join-timeout", defaultValue = "10s", converter = Units.DurationConverter.class, paramLabel = "TIME",
            description = "WHEP: how long a player waits for the answer to its offer, then as long for ICE and DTLS (default ${DEFAULT-VALUE})")
    Duration joinTimeout;

    @Option(names = "--whep-send-delay", defaultValue = "0s", converter = Units.DurationConverter.class, paramLabel = "TIME",
            description = "WHEP: hold each STUN check and DTLS datagram this long before sending it, as the round trip"
                    + " of a viewer far away would (e.g. 100ms; default ${DEFAULT-VALUE})")
    Duration whepSendDelay;

    @Override
    public Integer call() throws Exception {
        URI stats = noStats ? null : statsUrl != null ? statsUrl : urls.get(0).defaultStatsUrl();
        PlayLoad load = new PlayLoad(new PlayOptions(urls, players, duration, ramp, report, threads, stats, rembKbps, drainEvery,
                joinTimeout, whepSendDelay), System.out);
        PlaySummary summary = Interruptible.run(load::stop, load::run);
        return summary.everyPlayerPlayed() ? 0 : 1;
    }
}
