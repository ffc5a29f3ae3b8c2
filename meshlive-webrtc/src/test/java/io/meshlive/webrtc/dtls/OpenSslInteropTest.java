package io.meshlive.webrtc.dtls;

import io.meshlive.webrtc.srtp.SrtpProfile;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.meshlive.webrtc.dtls.Handshakes.BOTH;
import static io.meshlive.webrtc.dtls.Handshakes.CLIENT_CERTIFICATE;
import static io.meshlive.webrtc.dtls.Handshakes.SERVER_CERTIFICATE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our DTLS-SRTP against OpenSSL's, over real UDP on 127.0.0.1: the negotiated profile, the
 * certificates each side saw, and the RFC 5764 keying material, which openssl prints for
 * {@code -keymatexport} and must equal ours byte for byte.
 */
class OpenSslInteropTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static Path peerCertificate;
    private static byte[] peerFingerprint;

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @BeforeAll
    static void makePeerCertificate(@TempDir Path dir) throws Exception {
        peerCertificate = OpenSsl.selfSignedCertificate(dir);
        peerFingerprint = OpenSsl.fingerprint(Files.readString(peerCertificate));
    }

    @AfterEach
    void stopExecutor() throws InterruptedException {
        executor.shutdown();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).as("DTLS threads ended").isTrue();
    }

    @ParameterizedTest
    @CsvSource({
            "SRTP_AES128_CM_SHA1_80, 1, SRTP_AES128_CM_SHA1_80",
            // openssl prefers CM, we prefer GCM: the server's (our) preference decides
            "SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_128_GCM, 7, SRTP_AEAD_AES_128_GCM",
    })
    void ourServerWithOpenSslClient(String offered, int expectedProfile, String expectedName) throws Exception {
        try (UdpBridge udp = new UdpBridge(null)) {
            DtlsTransport server = new DtlsTransport(DtlsRole.SERVER, SERVER_CERTIFICATE, peerFingerprint, BOTH, udp::send,
                    ByteBufAllocator.DEFAULT);
            udp.deliverTo(server);
            long start = System.nanoTime();
            CompletableFuture<DtlsResult> handshake = server.handshake(executor, WAIT);
            int length = SrtpProfile.byId(expectedProfile).keyingMaterialLength();
            try (OpenSsl client = OpenSsl.run("s_client", "-dtls1_2", "-connect", "127.0.0.1:" + udp.port(),
                    "-use_srtp", offered, "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", String.valueOf(length),
                    "-cert", peerCertificate.toString(), "-key", OpenSsl.keyOf(peerCertificate).toString())) {
                DtlsResult result = handshake.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                System.out.printf("DTLS handshake, our server with openssl s_client: %d ms (includes starting openssl)%n",
                        (System.nanoTime() - start) / 1_000_000);

                assertThat(result.srtpProfileId()).isEqualTo(expectedProfile);
                assertThat(client.awaitLine("SRTP Extension negotiated", WAIT)).endsWith("profile=" + expectedName);
                assertThat(client.keyingMaterial(WAIT)).hasSize(length).isEqualTo(result.keyingMaterial());
                assertThat(result.peerFingerprintSha256()).isEqualTo(peerFingerprint);
                assertThat(OpenSsl.fingerprint(client.certificateAfter("Server certificate", WAIT)))
                        .isEqualTo(SERVER_CERTIFICATE.fingerprintSha256());

                client.endInput(); // s_client sends close_notify, which must end our association
                server.closeFuture().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } finally {
                server.close();
            }
        }
    }

    @Test
    void ourClientWithOpenSslServer() throws Exception {
        int port = freeUdpPort();
        // openssl picks by its own order (CM first) among what we offer (GCM first); -verify asks for our certificate.
        try (OpenSsl server = OpenSsl.run("s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port,
                "-use_srtp", "SRTP_AES128_CM_SHA1_80:SRTP_AEAD_AES_128_GCM", "-keymatexport", "EXTRACTOR-dtls_srtp",
                "-keymatexportlen", "60", "-verify", "1",
                "-cert", peerCertificate.toString(), "-key", OpenSsl.keyOf(peerCertificate).toString());
             UdpBridge udp = new UdpBridge(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            server.awaitLine("ACCEPT", WAIT);
            DtlsTransport client = new DtlsTransport(DtlsRole.CLIENT, CLIENT_CERTIFICATE, peerFingerprint, BOTH, udp::send,
                    ByteBufAllocator.DEFAULT);
            udp.deliverTo(client);
            try {
                long start = System.nanoTime();
                DtlsResult result = client.handshake(executor, WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                System.out.printf("DTLS handshake, our client with openssl s_server: %d ms%n", (System.nanoTime() - start) / 1_000_000);

                assertThat(result.srtpProfileId()).isEqualTo(SrtpProfile.AES128_CM_HMAC_SHA1_80.id());
                assertThat(server.awaitLine("SRTP Extension negotiated", WAIT)).endsWith("profile=SRTP_AES128_CM_SHA1_80");
                assertThat(server.keyingMaterial(WAIT)).hasSize(60).isEqualTo(result.keyingMaterial());
                assertThat(result.peerFingerprintSha256()).isEqualTo(peerFingerprint);
                assertThat(OpenSsl.fingerprint(server.certificateAfter("Client certificate", WAIT)))
                        .isEqualTo(CLIENT_CERTIFICATE.fingerprintSha256());
            } finally {
                client.close();
            }
            server.awaitLine("DONE", WAIT); // s_server ends the connection on our close_notify
        }
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
