package io.meshlive.webrtc.dtls;

import io.meshlive.webrtc.srtp.SrtpProfile;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static io.meshlive.webrtc.dtls.Handshakes.BOTH;
import static io.meshlive.webrtc.dtls.Handshakes.CLIENT_CERTIFICATE;
import static io.meshlive.webrtc.dtls.Handshakes.SERVER_CERTIFICATE;


import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.catchThrowable;

class DtlsTransportTest {
    private static final int AES128_CM_HMAC_SHA1_80 = SrtpProfile.AES128_CM_HMAC_SHA1_80.id();
    private static final int AEAD_AES_128_GCM = SrtpProfile.AEAD_AES_128_GCM.id();
    private static final int CHANGE_CIPHER_SPEC = 20;
    private static final int ALERT = 21;

    static Stream<Arguments> preferences() {
        int[] gcmFirst = BOTH;
        int[] cmFirst = {AES128_CM_HMAC_SHA1_80, AEAD_AES_128_GCM};
        return Stream.of(
                Arguments.of(gcmFirst, cmFirst, AEAD_AES_128_GCM),
                Arguments.of(cmFirst, gcmFirst, AES128_CM_HMAC_SHA1_80),
                Arguments.of(gcmFirst, new int[] {AES128_CM_HMAC_SHA1_80}, AES128_CM_HMAC_SHA1_80),
                Arguments.of(new int[] {AEAD_AES_128_GCM}, gcmFirst, AEAD_AES_128_GCM));
    }

    @ParameterizedTest
    @MethodSource("preferences")
    void bothSidesDeriveTheSameKeysForTheServersPreferredCommonProfile(int[] serverProfiles, int[] clientProfiles, int expected) throws Exception {
        try (Handshakes pair = new Handshakes(serverProfiles, clientProfiles)) {
            CompletableFuture<DtlsResult> server = pair.startServer();
            CompletableFuture<DtlsResult> client = pair.startClient();
            DtlsResult s = server.get(3, TimeUnit.SECONDS);
            DtlsResult c = client.get(3, TimeUnit.SECONDS);

            assertThat(s.srtpProfileId()).isEqualTo(expected);
            assertThat(c.srtpProfileId()).isEqualTo(expected);
            assertThat(s.keyingMaterial()).hasSize(SrtpProfile.byId(expected).keyingMaterialLength()).isEqualTo(c.keyingMaterial());
            assertThat(s.keyingMaterial()).isNotEqualTo(new byte[s.keyingMaterial().length]);
            assertThat(s.peerFingerprintSha256()).isEqualTo(CLIENT_CERTIFICATE.fingerprintSha256());
            assertThat(c.peerFingerprintSha256()).isEqualTo(SERVER_CERTIFICATE.fingerprintSha256());
            assertThat(pair.toClient.sizes()).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(DtlsTransport.MTU));
            assertThat(pair.toServer.sizes()).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(DtlsTransport.MTU));
        }
    }

    /** RFC 8261: SCTP packets ride as DTLS application data, both ways, after the handshake. */
    @Test
    void carriesApplicationDataBothWays() throws Exception {
        try (Handshakes pair = new Handshakes(BOTH, BOTH)) {
            LinkedBlockingQueue<String> atServer = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<String> atClient = new LinkedBlockingQueue<>();
            pair.server.applicationData(b -> atServer.add(take(b)));
            pair.client.applicationData(b -> atClient.add(take(b)));
            assertThat(pair.server.send(Unpooled.copiedBuffer("too early".getBytes()))).as("before the handshake").isFalse();
            CompletableFuture<DtlsResult> server = pair.startServer();
            pair.startClient().get(3, TimeUnit.SECONDS);
            server.get(3, TimeUnit.SECONDS);
            assertThat(pair.client.send(Unpooled.copiedBuffer("INIT".getBytes()))).isTrue();
            assertThat(atServer.poll(5, TimeUnit.SECONDS)).isEqualTo("INIT");
            assertThat(pair.server.send(Unpooled.copiedBuffer("INIT-ACK".getBytes()))).isTrue();
            assertThat(atClient.poll(5, TimeUnit.SECONDS)).isEqualTo("INIT-ACK");
        }
    }

    private static String take(ByteBuf b) {
        try {
            return b.toString(StandardCharsets.US_ASCII);
        } finally {
            b.release();
        }
    }

    @Test
    void eachHandshakeHasFreshKeys() throws Exception {
        byte[] first;
        try (Handshakes pair = new Handshakes(BOTH, BOTH)) {
            pair.startServer();
            first = pair.startClient().get(3, TimeUnit.SECONDS).keyingMaterial();
        }
        try (Handshakes pair = new Handshakes(BOTH, BOTH)) {
            pair.startServer();
            assertThat(pair.startClient().get(3, TimeUnit.SECONDS).keyingMaterial()).isNotEqualTo(first);
        }
    }

    @Test
    void flightsAreFragmentedToTheMtu() throws Exception {
        int mtu = 200; // smaller than our Certificate message, so BouncyCastle must fragment it
        try (Handshakes pair = new Handshakes(BOTH, CLIENT_CERTIFICATE.fingerprintSha256(), BOTH, SERVER_CERTIFICATE.fingerprintSha256(), mtu)) {
            CompletableFuture<DtlsResult> server = pair.startServer();
            DtlsResult c = pair.startClient().get(3, TimeUnit.SECONDS);
            assertThat(server.get(3, TimeUnit.SECONDS).keyingMaterial()).isEqualTo(c.keyingMaterial());
            assertThat(SERVER_CERTIFICATE.encoded().length).isGreaterThan(mtu);
            assertThat(pair.toClient.sizes()).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(mtu));
            assertThat(pair.toServer.sizes()).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(mtu));
        }
    }

    @Test
    void serverRejectsAClientWhoseCertificateIsNotTheOneInTheSdp() throws Exception {
        byte[] wrong = DtlsCertificate.generate().fingerprintSha256();
        try (Handshakes pair = new Handshakes(BOTH, wrong, BOTH, SERVER_CERTIFICATE.fingerprintSha256(), DtlsTransport.MTU)) {
            CompletableFuture<DtlsResult> server = pair.startServer();
            CompletableFuture<DtlsResult> client = pair.startClient();
            assertThat(failure(server)).hasMessage("peer certificate fingerprint does not match the SDP");
            assertThat(failure(client)).hasMessage("peer sent fatal alert bad_certificate(42)"); // at once, not by timeout
        }
    }

    @Test
    void clientRejectsAServerWhoseCertificateIsNotTheOneInTheSdp() throws Exception {
        byte[] wrong = DtlsCertificate.generate().fingerprintSha256();
        try (Handshakes pair = new Handshakes(BOTH, CLIENT_CERTIFICATE.fingerprintSha256(), BOTH, wrong, DtlsTransport.MTU)) {
            CompletableFuture<DtlsResult> server = pair.startServer();
            CompletableFuture<DtlsResult> client = pair.startClient();
            assertThat(failure(client)).hasMessage("peer certificate fingerprint does not match the SDP");
            assertThat(failure(server)).hasMessage("peer sent fatal alert bad_certificate(42)");
        }
    }

    @Test
    void noCommonSrtpProfileFailsBothSides() throws Exception {
        try (Handshakes pair = new Handshakes(new int[] {AEAD_AES_128_GCM}, new int[] {AES128_CM_HMAC_SHA1_80})) {
            CompletableFuture<DtlsResult> server = pair.startServer();
            CompletableFuture<DtlsResult> client = pair.startClient();
            assertThat(failure(server)).hasMessage("no common SRTP profile");
            assertThat(failure(client)).hasMessage("peer sent fatal alert handshake_failure(40)");
        }
    }

    @Test
    void serverWhosePeerNeverSpeaksTimesOut() throws Exception {
        try (Handshakes pair = new Handshakes(BOTH, BOTH)) {
            long start = System.nanoTime();
            CompletableFuture<DtlsResult> server = pair.server.handshake(pair.executor, Duration.ofMillis(300));
            assertThat(failure(server)).hasMessage("handshake timed out after 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(290), Duration.ofMillis(1500));
        }
    }

    @Test
    void clientWhosePeerGoesSilentTimesOutAfterRetransmitting() throws Exception {
        try (Handshakes pair = new Handshakes(BOTH, BOTH)) {
            pair.toServer.lose(datagram -> true);
            CompletableFuture<DtlsResult> client = pair.client.handshake(pair.executor, Duration.ofMillis(1500));
            assertThat(failure(client)).hasMessage("handshake timed out after 1500 ms");
            assertThat(pair.toServer.sizes()).as("ClientHello and its retransmission after 1 s").hasSizeGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void closeDuringTheHandshakeEndsItsThread() throws Exception {
        AtomicReference<Thread> handshakeThread = new AtomicReference<>();
        DtlsTransport client = new DtlsTransport(DtlsRole.CLIENT, CLIENT_CERTIFICATE, SERVER_CERTIFICATE.fingerprintSha256(), BOTH,
                ByteBuf::release, ByteBufAllocator.DEFAULT);
        CompletableFuture<DtlsResult> result = client.handshake(task -> {
            Thread thread = new Thread(task, "dtls-handshake");
            handshakeThread.set(thread);
            thread.start();
        }, Duration.ofSeconds(30));
        // It sends its ClientHello and blocks waiting for the answer.
        await().atMost(Duration.ofSeconds(5)).until(() -> handshakeThread.get() != null
                && (handshakeThread.get().getState() == Thread.State.WAITING || handshakeThread.get().getState() == Thread.State.TIMED_WAITING));

        client.close();
        handshakeThread.get().join(1000);
        assertThat(handshakeThread.get().isAlive()).isFalse();
        assertThat(failure(result)).hasMessage("DTLS transport closed");
        assertThat(client.closeFuture().toCompletableFuture()).isDone();
    }

    @Test
    void closeSendsCloseNotifyWhichEndsThePeersAssociation() throws Exception {
        try (Handshakes pair = new Handshakes(BOTH, BOTH)) {
            CompletableFuture<DtlsResult> server = pair.startServer();
            pair.startClient().get(3, TimeUnit.SECONDS);
            server.get(3, TimeUnit.SECONDS); // so the close_notify arrives at an established server, no thread waiting on it
            assertThat(pair.server.closeFuture().toCompletableFuture()).isNotDone();

            pair.client.close();
            assertThat(pair.toServer.contentTypes()).last().isEqualTo(ALERT);
            pair.server.closeFuture().toCompletableFuture().get(2, TimeUnit.SECONDS);
        }
    }

    @Test
    void serverResendsItsFinalFlightWhenTheClientRepeatsItsOwnAfterTheHandshake() throws Exception {
        try (Handshakes pair = new Handshakes(BOTH, BOTH)) {
            // Lose the server's final flight (ChangeCipherSpec, then Finished in epoch 1) once.
            AtomicInteger lost = new AtomicInteger();
            pair.toClient.lose(datagram -> (Wire.contentType(datagram) == CHANGE_CIPHER_SPEC || Wire.epoch(datagram) == 1)
                    && lost.getAndIncrement() < 2);
            CompletableFuture<DtlsResult> server = pair.startServer();
            CompletableFuture<DtlsResult> client = pair.startClient();
            DtlsResult s = server.get(3, TimeUnit.SECONDS);
            assertThat(client).isNotDone(); // it waits for the Finished we lost, then retransmits after 1 s

            DtlsResult c = client.get(4, TimeUnit.SECONDS);
            assertThat(lost.get()).isGreaterThanOrEqualTo(2);
            assertThat(c.keyingMaterial()).isEqualTo(s.keyingMaterial());
        }
    }

    @Test
    void datagramsAfterCloseAreReleased() throws Exception {
        try (Handshakes pair = new Handshakes(BOTH, BOTH)) {
            pair.server.close();
            ByteBuf late = Unpooled.buffer().writeByte(22).writeZero(20);
            pair.server.receive(late);
            assertThat(late.refCnt()).isZero();
        }
    }

    @Test
    void handshakeTakesMilliseconds() throws Exception {
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            try (Handshakes pair = new Handshakes(BOTH, BOTH)) {
                long start = System.nanoTime();
                CompletableFuture<DtlsResult> server = pair.startServer();
                pair.startClient().get(3, TimeUnit.SECONDS);
                server.get(3, TimeUnit.SECONDS);
                micros.add((System.nanoTime() - start) / 1000);
            }
        }
        List<Long> warm = new ArrayList<>(micros.subList(2, micros.size()));
        warm.sort(null);
        System.out.printf("DTLS handshake, in memory: first %d us, warm median %d us, warm max %d us%n",
                micros.get(0), warm.get(warm.size() / 2), warm.get(warm.size() - 1));
        assertThat(warm.get(warm.size() / 2)).isLessThan(500_000);
    }

    static DtlsException failure(CompletableFuture<?> future) {
        Throwable thrown = catchThrowable(() -> future.get(3, TimeUnit.SECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(DtlsException.class);
        return (DtlsException) thrown.getCause();
    }
}
