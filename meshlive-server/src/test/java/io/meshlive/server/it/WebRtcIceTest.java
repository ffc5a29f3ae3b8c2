package io.meshlive.server.it;

import io.meshlive.testkit.Http1Clients;
import io.meshlive.core.Session;
import io.meshlive.webrtc.sdp.IceCandidate;
import io.meshlive.webrtc.sdp.MediaDescription;
import io.meshlive.webrtc.sdp.SessionDescription;
import io.meshlive.webrtc.stun.StunMessage;
import io.meshlive.webrtc.stun.StunWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ICE-lite on the wire, with a hand-made peer: STUN over UDP and over ICE-TCP (RFC 4571 framing)
 * against a real WHEP session, a check with a wrong password, packets from nobody's address, and
 * sessions that never finish ICE or DTLS. Each bad case costs only its own session.
 */
@Timeout(60)
class WebRtcIceTest {
    private static final HttpClient HTTP = Http1Clients.builder().build();
    private static final String CLIENT_UFRAG = "clnt";
    private static TestServer server;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServer.start(c -> {
            c.webrtc.handshakeTimeoutMs = 1500;
            c.webrtc.consentTimeoutMs = 2000;
        });
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A WHEP session made from a minimal browser-like offer; returns the parsed answer. */
    private static SessionDescription offer(String stream) throws Exception {
        String sdp = String.join("\r\n", "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
                "a=group:BUNDLE 0", "m=video 9 UDP/TLS/RTP/SAVPF 102", "c=IN IP4 0.0.0.0",
                "a=ice-ufrag:" + CLIENT_UFRAG, "a=ice-pwd:clientpasswordclientpassw",
                "a=fingerprint:sha-256 " + "AB:".repeat(31) + "AB", "a=setup:actpass", "a=mid:0",
                "a=recvonly", "a=rtcp-mux", "a=rtpmap:102 H264/90000",
                "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", "");
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort()
                        + "/" + TestServer.APP + "/" + stream + "/whep")).header("Content-Type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString(sdp)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("Location")).get().asString().startsWith("/" + TestServer.APP + "/" + stream + "/whep/");
        return SessionDescription.parse(r.body());
    }

    private static byte[] bindingRequest(MediaDescription answer, String password) {
        byte[] tx = new byte[12];
        ThreadLocalRandom.current().nextBytes(tx);
        ByteBuf b = StunWriter.bindingRequest(UnpooledByteBufAllocator.DEFAULT, tx, answer.iceUfrag() + ":" + CLIENT_UFRAG,
                password.getBytes(StandardCharsets.UTF_8), 1_845_501_695L, 42, true, true);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    private static StunMessage exchange(DatagramSocket socket, byte[] request) throws Exception {
        socket.send(new DatagramPacket(request, request.length, new InetSocketAddress("127.0.0.1", server.webrtcPort())));
        byte[] buf = new byte[1500];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        return StunMessage.decode(Unpooled.wrappedBuffer(buf, 0, p.getLength()));
    }

    private static Session session(String stream) {
        return server.hub().sessions().all().stream()
                .filter(s -> s.protocol().equals("whep") && s.stream() != null && s.stream().name().equals(stream))
                .findFirst().orElse(null);
    }

    @Test
    void udpBindingIsAnsweredWithIntegrityAndAWrongPasswordIsRefused() throws Exception {
        MediaDescription answer = offer("ice-udp").media().get(0);
        assertThat(answer.attributes("candidate")).anySatisfy(c -> assertThat(c).contains(" udp ").contains("127.0.0.1"))
                .anySatisfy(c -> assertThat(c).contains(" tcp ").contains("tcptype passive"));
        try (DatagramSocket socket = new DatagramSocket(0, java.net.InetAddress.getByName("127.0.0.1"))) {
            socket.setSoTimeout(2000);
            StunMessage ok = exchange(socket, bindingRequest(answer, answer.icePwd()));
            assertThat(ok.type()).isEqualTo(StunMessage.BINDING_SUCCESS);
            assertThat(ok.xorMappedAddress()).isEqualTo(socket.getLocalSocketAddress());
            assertThat(ok.hasMessageIntegrity()).isTrue();

            StunMessage refused = exchange(socket, bindingRequest(answer, "not-the-password-at-all!"));
            assertThat(refused.type()).isEqualTo(StunMessage.BINDING_ERROR);
            assertThat(refused.errorCode()).isEqualTo(401);
            assertThat(session("ice-udp")).as("a bad check costs nothing but itself").isNotNull();

            // RTP-looking bytes from an address no session owns are dropped, not answered.
            byte[] stray = new byte[100];
            stray[0] = (byte) 0x80;
            try (DatagramSocket other = new DatagramSocket(0, java.net.InetAddress.getByName("127.0.0.1"))) {
                other.setSoTimeout(300);
                other.send(new DatagramPacket(stray, stray.length, new InetSocketAddress("127.0.0.1", server.webrtcPort())));
                DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> other.receive(p)).isInstanceOf(SocketTimeoutException.class);
            }
        }
        // ICE passed but DTLS never starts: the session is closed at the handshake deadline.
        await().atMost(Duration.ofSeconds(5)).until(() -> session("ice-udp") == null);
    }

    @Test
    void iceTcpCarriesStunInRfc4571Frames() throws Exception {
        SessionDescription answer = offer("ice-tcp");
        MediaDescription m = answer.media().get(0);
        IceCandidate tcp = m.attributes("candidate").stream().filter(c -> c.contains(" tcp "))
                .map(WebRtcIceTest::candidate).findFirst().orElseThrow();
        // As many connections as the server has event loops, so at least one is accepted on another
        // loop than the session's and moves to it on its first check; each must still answer after.
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < server.hub().workers().size(); i++) {
                Socket socket = new Socket(tcp.address(), tcp.port());
                sockets.add(socket);
                socket.setSoTimeout(2000);
            }
            for (int round = 0; round < 2; round++) {
                for (Socket socket : sockets) {
                    StunMessage ok = tcpExchange(socket, bindingRequest(m, m.icePwd()));
                    assertThat(ok.type()).isEqualTo(StunMessage.BINDING_SUCCESS);
                    assertThat(ok.xorMappedAddress()).isEqualTo(socket.getLocalSocketAddress());
                }
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    private static StunMessage tcpExchange(Socket socket, byte[] request) throws Exception {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeShort(request.length);
        out.write(request);
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] response = new byte[in.readUnsignedShort()];
        in.readFully(response);
        return StunMessage.decode(Unpooled.wrappedBuffer(response));
    }

    @Test
    void anOfferNobodyConnectsToIsClosedAtItsDeadline() throws Exception {
        offer("ice-never");
        assertThat(session("ice-never")).isNotNull();
        await().atMost(Duration.ofSeconds(5)).until(() -> session("ice-never") == null);
    }

    private static IceCandidate candidate(String value) {
        String[] f = value.split(" ");
        return new IceCandidate(f[0], Integer.parseInt(f[1]), f[2].toLowerCase(), Long.parseLong(f[3]), f[4],
                Integer.parseInt(f[5]), f[7], Arrays.asList(f).contains("tcptype") ? "passive" : null);
    }
}
