package io.meshlive.webrtc.dtls;

import io.meshlive.webrtc.srtp.SrtpProfile;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Handshakes a process makes with itself, in memory, one after another, before any peer comes:
 * BouncyCastle's DTLS and EC arithmetic run interpreted until the JIT has seen them enough, and
 * a cold handshake costs several times a warm one. Without this, the first surge of joins pays
 * for the compiling, on the very core its handshakes need.
 */
public final class DtlsWarmUp {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final int[] PROFILES = {SrtpProfile.AEAD_AES_128_GCM.id()};

    private DtlsWarmUp() {
    }

    /**
     * Runs {@code count} handshakes of {@code certificate} with itself on {@code handshakes}, one
     * at a time (one core's worth: the JIT needs repetitions, not parallelism).
     *
     * @return completes with the number done, or exceptionally with the first failure
     */
    public static CompletableFuture<Integer> run(DtlsHandshakes handshakes, DtlsCertificate certificate, int count) {
        CompletableFuture<Integer> chain = CompletableFuture.completedFuture(0);
        for (int i = 0; i < count; i++) {
            chain = chain.thenCompose(done -> once(handshakes, certificate).thenApply(v -> done + 1));
        }
        return chain;
    }

    /**
     * One handshake of {@code certificate} with itself, in memory, on {@code handshakes}.
     *
     * @return the server end's result (the client's holds the same keying material)
     */
    private static CompletableFuture<DtlsResult> once(DtlsHandshakes handshakes, DtlsCertificate certificate) {
        ByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;
        DtlsTransport[] ends = new DtlsTransport[2];
        byte[] fingerprint = certificate.fingerprintSha256();
        ends[0] = new DtlsTransport(DtlsRole.SERVER, certificate, fingerprint, PROFILES, d -> ends[1].receive(d), alloc);
        ends[1] = new DtlsTransport(DtlsRole.CLIENT, certificate, fingerprint, PROFILES, d -> ends[0].receive(d), alloc);
        CompletableFuture<DtlsResult> server = ends[0].handshake(handshakes, LIMIT);
        return CompletableFuture.allOf(server, ends[1].handshake(handshakes, LIMIT))
                .whenComplete((v, e) -> {
                    ends[0].close();
                    ends[1].close();
                })
                .thenApply(v -> server.join());
    }
}
