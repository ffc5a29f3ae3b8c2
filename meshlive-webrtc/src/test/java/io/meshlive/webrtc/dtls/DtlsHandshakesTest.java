package io.meshlive.webrtc.dtls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static io.meshlive.webrtc.dtls.DtlsTransportTest.failure;
import static io.meshlive.webrtc.dtls.Handshakes.BOTH;
import static io.meshlive.webrtc.dtls.Handshakes.CLIENT_CERTIFICATE;
import static io.meshlive.webrtc.dtls.Handshakes.SERVER_CERTIFICATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link DtlsHandshakes}: a surge larger than its threads waits in line, and the bounds on threads and queue. */
class DtlsHandshakesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void aSurgeLargerThanItsThreadsWaitsInLineAndAllComplete() throws Exception {
        int pairs = 150;
        try (DtlsHandshakes handshakes = new DtlsHandshakes("surge", 64, 2 * pairs, 4)) {
            long millis = surge(pairs, transport -> transport.handshake(handshakes, TIMEOUT));
            System.out.printf("DTLS surge, in memory: %d handshake pairs started at once on 64 threads computing in 4 turns, all done in %d ms%n",
                    pairs, millis);
            await().atMost(Duration.ofSeconds(10)).until(() -> handshakes.inProgress() == 0 && handshakes.waiting() == 0);
            assertThat(handshakes.turns().free()).as("every turn given back").isEqualTo(4);
        }
    }

    /** Starts {@code pairs} server-client handshakes at once; waits until all are done (each pair agreeing on keys); their time. */
    private static long surge(int pairs, Function<DtlsTransport, CompletableFuture<DtlsResult>> start) throws Exception {
        List<CompletableFuture<DtlsResult>> servers = new ArrayList<>();
        List<CompletableFuture<DtlsResult>> clients = new ArrayList<>();
        List<DtlsTransport> transports = new ArrayList<>();
        long begin = System.nanoTime();
        for (int i = 0; i < pairs; i++) {
            Wire toClient = new Wire();
            Wire toServer = new Wire();
            DtlsTransport server = new DtlsTransport(DtlsRole.SERVER, SERVER_CERTIFICATE, CLIENT_CERTIFICATE.fingerprintSha256(),
                    BOTH, toClient, ByteBufAllocator.DEFAULT);
            DtlsTransport client = new DtlsTransport(DtlsRole.CLIENT, CLIENT_CERTIFICATE, SERVER_CERTIFICATE.fingerprintSha256(),
                    BOTH, toServer, ByteBufAllocator.DEFAULT);
            toClient.connect(client);
            toServer.connect(server);
            transports.add(server);
            transports.add(client);
            servers.add(start.apply(server));
            clients.add(start.apply(client));
        }
        try {
            for (int i = 0; i < pairs; i++) {
                byte[] serverKeys = servers.get(i).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).keyingMaterial();
                assertThat(clients.get(i).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).keyingMaterial()).as("pair %d", i).isEqualTo(serverKeys);
            }
            return (System.nanoTime() - begin) / 1_000_000;
        } finally {
            transports.forEach(DtlsTransport::close);
        }
    }

    @Test
    void pastItsThreadsAndQueueAHandshakeIsRefusedAndTheRestEndWhenClosed() throws Exception {
        try (DtlsHandshakes handshakes = new DtlsHandshakes("flood", 2, 3, 2)) {
            // Servers whose clients never speak: each holds a thread (2) or a place in the queue (3).
            List<DtlsTransport> silent = new ArrayList<>();
            List<CompletableFuture<DtlsResult>> results = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                DtlsTransport server = silentServer();
                silent.add(server);
                results.add(server.handshake(handshakes, TIMEOUT));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> handshakes.inProgress() == 2);
            assertThat(handshakes.waiting()).isEqualTo(3);

            DtlsTransport oneTooMany = silentServer();
            assertThat(failure(oneTooMany.handshake(handshakes, TIMEOUT))).hasMessage("no thread for the DTLS handshake");

            silent.forEach(DtlsTransport::close);
            for (CompletableFuture<DtlsResult> result : results) {
                assertThat(failure(result)).hasMessage("DTLS transport closed");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> handshakes.inProgress() == 0 && handshakes.waiting() == 0);
        }
    }

    private static DtlsTransport silentServer() {
        return new DtlsTransport(DtlsRole.SERVER, SERVER_CERTIFICATE, CLIENT_CERTIFICATE.fingerprintSha256(), BOTH,
                ByteBuf::release, ByteBufAllocator.DEFAULT);
    }
}
