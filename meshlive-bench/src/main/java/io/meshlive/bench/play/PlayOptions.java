package io.meshlive.bench.play;

import io.meshlive.bench.StreamUrl;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * How to load a server with players.
 *
 * @param urls          players take these in turn, so several URLs mix streams and protocols
 * @param rampPerSecond new connections per second; 0 connects every player at once
 * @param threads       event loops; one is the point: it shows what a single core can drive
 * @param statsUrl      the server's stream API, read at the end; null skips it
 * @param rembKbps      WHEP players report this bandwidth estimate (RTCP REMB) every second, as a
 *                      browser does; 0 sends none
 * @param drainEvery    RTMP and HTTP-FLV players read their sockets only this often, all that is
 *                      there at once, as a player that decodes on a timer does; zero reads as
 *                      data arrives (event-driven)
 * @param joinTimeout   how long a WHEP player waits for the answer to its offer, and then for ICE and DTLS
 * @param sendDelay     WHEP players hold each STUN check and DTLS datagram this long before sending it: the
 *                      round trip of a viewer far away, on loopback (zero: none)
 */
public record PlayOptions(List<StreamUrl> urls, int players, Duration duration, double rampPerSecond,
                          Duration reportEvery, int threads, URI statsUrl, long rembKbps, Duration drainEvery,
                          Duration joinTimeout, Duration sendDelay) {
    /** What a browser's patience is taken to be (and the server's own limit for ICE and DTLS by default). */
    public static final Duration JOIN_TIMEOUT = Duration.ofSeconds(10);

    public PlayOptions {
        urls = List.copyOf(urls);
        if (urls.isEmpty() || players < 1 || threads < 1 || rampPerSecond < 0 || rembKbps < 0 || drainEvery.isNegative()
                || duration.isNegative() || duration.isZero() || reportEvery.isNegative() || reportEvery.isZero()
                || joinTimeout.isNegative() || joinTimeout.isZero() || sendDelay.isNegative()) {
            throw new IllegalArgumentException("need a URL, at least one player and thread, a rate of 0 or more,"
                    + " and a positive duration, report interval and join timeout");
        }
    }

    /** Event-driven players, with browsers' patience for a WHEP join. */
    public PlayOptions(List<StreamUrl> urls, int players, Duration duration, double rampPerSecond,
                       Duration reportEvery, int threads, URI statsUrl, long rembKbps) {
        this(urls, players, duration, rampPerSecond, reportEvery, threads, statsUrl, rembKbps, Duration.ZERO, JOIN_TIMEOUT,
                Duration.ZERO);
    }

    /** Event-driven players, without REMB. */
    public PlayOptions(List<StreamUrl> urls, int players, Duration duration, double rampPerSecond,
                       Duration reportEvery, int threads, URI statsUrl) {
        this(urls, players, duration, rampPerSecond, reportEvery, threads, statsUrl, 0);
    }
}
