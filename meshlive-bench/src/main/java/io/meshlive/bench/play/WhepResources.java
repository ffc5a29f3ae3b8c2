package io.meshlive.bench.play;

import io.meshlive.webrtc.dtls.DtlsCertificate;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every WHEP player of a run shares: our DTLS certificate (one per run, as a browser has one
 * per page), the threads BouncyCastle's blocking DTLS handshakes run on, the HTTP client that
 * posts the offers and deletes the sessions, and the bandwidth estimate players report.
 */
final class WhepResources implements AutoCloseable {
    /**
     * A handshake holds its thread while it waits for the server, a few milliseconds on a healthy
     * one. This many in flight serve a ramp of hundreds a second; more wait in the queue, and the
     * wait counts against their handshake timeout and time to first frame, as it should.
     */
    private static final int HANDSHAKE_THREADS = 32;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final ExecutorService handshakes;
    private final long rembKbps;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT).build();

    /** @param rembKbps the estimate every player reports each second (RTCP REMB); 0: none */
    WhepResources(long rembKbps) {
        this.rembKbps = rembKbps;
        AtomicInteger n = new AtomicInteger();
        handshakes = Executors.newFixedThreadPool(HANDSHAKE_THREADS, r -> {
            Thread t = new Thread(r, "bench-dtls-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    DtlsCertificate certificate() {
        return certificate;
    }

    ExecutorService handshakes() {
        return handshakes;
    }

    HttpClient http() {
        return http;
    }

    long rembKbps() {
        return rembKbps;
    }

    @Override
    public void close() {
        handshakes.shutdownNow();
    }
}
