package io.meshlive.cluster.relay;

import io.meshlive.core.Hub;
import io.meshlive.core.HubSettings;
import io.meshlive.core.Transport;
import io.meshlive.core.Workers;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A relay listener against a raw TCP client: an outsider (garbage, a wrong HMAC) gets the
 * challenge and nothing else before being closed; a node with the secret is welcomed, and closed
 * when it breaks the protocol afterwards.
 */
class RelayServerHandshakeTest {
    private static final String SECRET = "s3cret";
    private EventLoopGroup group;
    private RelayServer server;

    @BeforeEach
    void start() throws InterruptedException {
        group = Transport.group(1, "relay-test");
        Hub hub = new Hub(new Workers(group), HubSettings.defaults());
        server = new RelayServer(hub, "parent", SECRET, "127.0.0.1", 0, 100);
    }

    @AfterEach
    void stop() {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(5000);
        return s;
    }

    /** Reads the 41-byte challenge and returns its nonce. */
    private static byte[] challenge(DataInputStream in) throws IOException {
        assertThat(in.readInt()).isEqualTo(1 + 4 + RelayWire.NONCE);
        assertThat(in.readByte()).isEqualTo(RelayWire.CHALLENGE);
        assertThat(in.readInt()).isEqualTo(RelayWire.VERSION);
        byte[] nonce = new byte[RelayWire.NONCE];
        in.readFully(nonce);
        return nonce;
    }

    /** Everything the server sends until it closes the connection. */
    private static byte[] rest(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[4096];
        int n;
        while ((n = in.read(b)) >= 0) {
            out.write(b, 0, n);
        }
        return out.toByteArray();
    }

    private static void hello(DataOutputStream out, byte[] clientNonce, byte[] mac, String id) throws IOException {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        out.writeInt(1 + RelayWire.NONCE + RelayWire.MAC + 1 + idBytes.length);
        out.writeByte(RelayWire.HELLO);
        out.write(clientNonce);
        out.write(mac);
        out.writeByte(idBytes.length);
        out.write(idBytes);
        out.flush();
    }

    @Test
    void garbageGetsTheChallengeAndIsClosed() throws IOException {
        try (Socket s = connect()) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            challenge(in);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(rest(in)).isEmpty();
        }
    }

    @Test
    void aWrongHmacGetsNothingButTheChallenge() throws IOException {
        try (Socket s = connect()) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] nonce = challenge(in);
            byte[] clientNonce = new byte[RelayWire.NONCE];
            hello(new DataOutputStream(s.getOutputStream()), clientNonce,
                    RelayWire.clientMac("wrong".getBytes(StandardCharsets.UTF_8), nonce, clientNonce, "intruder"), "intruder");
            assertThat(rest(in)).isEmpty();
        }
    }

    @Test
    void aNodeWithTheSecretIsWelcomedAndProvesTheServerHasItToo() throws IOException {
        try (Socket s = connect()) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] nonce = challenge(in);
            byte[] clientNonce = new byte[RelayWire.NONCE];
            clientNonce[0] = 9;
            byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            hello(out, clientNonce, RelayWire.clientMac(secret, nonce, clientNonce, "child"), "child");
            assertThat(in.readInt()).isEqualTo(1 + RelayWire.MAC + 1 + "parent".length());
            assertThat(in.readByte()).isEqualTo(RelayWire.WELCOME);
            byte[] mac = new byte[RelayWire.MAC];
            in.readFully(mac);
            assertThat(mac).isEqualTo(RelayWire.serverMac(secret, clientNonce, nonce, "parent"));
            assertThat(in.readByte()).isEqualTo((byte) "parent".length());
            in.readFully(new byte[6]);

            // A FRAME is the parent's to send: from a child it is a protocol error.
            out.writeInt(5);
            out.writeByte(RelayWire.FRAME);
            out.writeInt(1);
            out.flush();
            byte[] after = rest(in);
            // Pings may have come before the close; nothing else.
            for (int at = 0; at < after.length; at += 13) {
                assertThat(after[at + 4]).isEqualTo(RelayWire.PING);
            }
        }
    }

    @Test
    void aHandshakeLongerThanAnyHelloIsRefusedBeforeItIsBuffered() throws IOException {
        try (Socket s = connect()) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            challenge(in);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(RelayWire.MAX_HANDSHAKE + 1);
            out.flush();
            assertThat(rest(in)).isEmpty();
        }
    }
}
