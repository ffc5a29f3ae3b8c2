package io.meshlive.webrtc.dtls;

import io.meshlive.webrtc.srtp.SrtpProfile;
import io.netty.buffer.ByteBufAllocator;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A server and a client {@link DtlsTransport} joined by two {@link Wire}s, and the executor their
 * handshakes run on. Certificates are made once per test class (they are per process in meshlive).
 */
final class Handshakes implements AutoCloseable {
    static final DtlsCertificate SERVER_CERTIFICATE = DtlsCertificate.generate();
    static final DtlsCertificate CLIENT_CERTIFICATE = DtlsCertificate.generate();
    static final int[] BOTH = {SrtpProfile.AEAD_AES_128_GCM.id(), SrtpProfile.AES128_CM_HMAC_SHA1_80.id()};
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "dtls-test");
        thread.setDaemon(true);
        return thread;
    });
    final Wire toClient = new Wire();
    final Wire toServer = new Wire();
    DtlsTransport server;
    DtlsTransport client;

    /** A pair that trusts each other's real fingerprints and offers {@code serverProfiles} / {@code clientProfiles}. */
    Handshakes(int[] serverProfiles, int[] clientProfiles) {
        this(serverProfiles, CLIENT_CERTIFICATE.fingerprintSha256(), clientProfiles, SERVER_CERTIFICATE.fingerprintSha256(), DtlsTransport.MTU);
    }

    Handshakes(int[] serverProfiles, byte[] serverExpects, int[] clientProfiles, byte[] clientExpects, int mtu) {
        server = new DtlsTransport(DtlsRole.SERVER, SERVER_CERTIFICATE, serverExpects, serverProfiles, toClient, ByteBufAllocator.DEFAULT, mtu);
        client = new DtlsTransport(DtlsRole.CLIENT, CLIENT_CERTIFICATE, clientExpects, clientProfiles, toServer, ByteBufAllocator.DEFAULT, mtu);
        toClient.connect(client);
        toServer.connect(server);
    }

    CompletableFuture<DtlsResult> startServer() {
        return server.handshake(executor, TIMEOUT);
    }

    CompletableFuture<DtlsResult> startClient() {
        return client.handshake(executor, TIMEOUT);
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
        client.close();
        executor.shutdown();
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
            throw new AssertionError("a DTLS thread did not end after close()");
        }
    }
}
