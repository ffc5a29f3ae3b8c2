package io.meshlive.bench.play;

import io.meshlive.webrtc.dtls.DtlsCertificate;
import io.meshlive.webrtc.dtls.DtlsHandshakes;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * What every WHEP player of a run shares: our DTLS certificate (one per run, as a browser has one
 * per page), the threads BouncyCastle's blocking DTLS handshakes run on, the HTTP client that
 * posts the offers and deletes the sessions, and the bandwidth estimate players report.
 */
final class WhepResources implements AutoCloseable {
    /**
     * A handshake holds its thread while it waits for the server, so a surge needs one thread per
     * handshake in flight: with too few, handshakes would wait here, against their own timeout,
     * and the bench, not the server, would be measured.
     */
    private static final int HANDSHAKE_THREADS = 1024;
    private static final int HANDSHAKES_WAITING = 1 << 20;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final DtlsHandshakes handshakes = new DtlsHandshakes("bench", HANDSHAKE_THREADS, HANDSHAKES_WAITING);
    private final long rembKbps;
    private final Duration joinTimeout;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT).build();

    /**
     * @param rembKbps    the estimate every player reports each second (RTCP REMB); 0: none
     * @param joinTimeout how long a player waits for the answer, then for ICE and DTLS
     */
    WhepResources(long rembKbps, Duration joinTimeout) {
        this.rembKbps = rembKbps;
        this.joinTimeout = joinTimeout;
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

    long rembKbps() {
        return rembKbps;
    }

    @Override
    public void close() {
        handshakes.close();
    }
}
