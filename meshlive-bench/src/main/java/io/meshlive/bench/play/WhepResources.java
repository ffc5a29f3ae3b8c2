package io.meshlive.bench.play;

import io.meshlive.testkit.Http1Clients;
import io.meshlive.webrtc.dtls.DtlsCertificate;
import io.meshlive.webrtc.dtls.DtlsHandshakes;
import io.meshlive.webrtc.dtls.DtlsWarmUp;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What every WHEP player of a run shares: our DTLS certificate (one per run, as a browser has one
 * per page), the threads BouncyCastle's blocking DTLS handshakes run on, the HTTP client that
 * posts the offers and deletes the sessions, and the bandwidth estimate players report.
 */
final class WhepResources implements AutoCloseable {
    /**
     * A handshake holds its thread while it waits for the server, so a surge needs one thread per
     * handshake in flight: with too few, handshakes would wait here, against their own timeout,
     * and the bench, not the server, would be measured. All of them compute at once, as the
     * browsers of that many viewers would, each on a machine of its own.
     */
    private static final int HANDSHAKE_THREADS = 1024;
    private static final int HANDSHAKES_WAITING = 1 << 20;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Handshakes with ourselves before the run: a browser's DTLS is native code, warm from its
     * first handshake, while ours runs interpreted until the JIT has compiled it, which would
     * make the bench's own handshakes slow (and its core busy compiling) in the first surge.
     */
    private static final int WARM_UP_HANDSHAKES = 200;
    private static final long WARM_UP_LIMIT_SECONDS = 60;

    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final DtlsHandshakes handshakes = new DtlsHandshakes("bench", HANDSHAKE_THREADS, HANDSHAKES_WAITING,
            HANDSHAKE_THREADS);
    private final long rembKbps;
    private final Duration joinTimeout;
    private final Duration sendDelay;
    private final HttpClient http = Http1Clients.builder()
            .connectTimeout(CONNECT_TIMEOUT).build();

    /**
     * @param rembKbps    the estimate every player reports each second (RTCP REMB); 0: none
     * @param joinTimeout how long a player waits for the answer, then for ICE and DTLS
     * @param sendDelay   how long a player holds each STUN check and DTLS datagram before sending it
     */
    WhepResources(long rembKbps, Duration joinTimeout, Duration sendDelay) {
        this.rembKbps = rembKbps;
        this.joinTimeout = joinTimeout;
        this.sendDelay = sendDelay;
    }

    /** Before the clock starts: {@link #WARM_UP_HANDSHAKES} in-memory handshakes; says how it went. */
    String warmUp() throws InterruptedException {
        long start = System.nanoTime();
        try {
            int done = DtlsWarmUp.run(handshakes, certificate, WARM_UP_HANDSHAKES).get(WARM_UP_LIMIT_SECONDS, TimeUnit.SECONDS);
            return String.format("%d DTLS handshakes in memory in %d ms", done, (System.nanoTime() - start) / 1_000_000);
        } catch (ExecutionException e) {
            return "DTLS handshakes in memory failed: " + e.getCause();
        } catch (TimeoutException e) {
            return "DTLS handshakes in memory not done within " + WARM_UP_LIMIT_SECONDS + " s";
        }
    }

    DtlsCertificate certificate() {
        return certificate;
    }

    DtlsHandshakes handshakes() {
        return handshakes;
    }

    HttpClient http() {
        return http;
    }

    Duration joinTimeout() {
        return joinTimeout;
    }

    Duration sendDelay() {
        return sendDelay;
    }

    long rembKbps() {
        return rembKbps;
    }

    @Override
    public void close() {
        handshakes.close();
    }
}
