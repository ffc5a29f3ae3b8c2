package io.meshlive.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HandshakeTest {
    /** Builds a C1 the way Flash Player / librtmp do for the given digest scheme. */
    private static byte[] complexC1(int scheme) {
        byte[] c1 = new byte[HandshakeDigest.PACKET];
        new Random(7).nextBytes(c1);
        c1[4] = (byte) 0x80; // version 0x80000702, as ffmpeg sends
        c1[5] = 0;
        c1[6] = 7;
        c1[7] = 2;
        int offset = HandshakeDigest.digestOffset(c1, scheme);
        byte[] digest = HandshakeDigest.packetDigest(c1, offset, HandshakeDigest.PLAYER_KEY, HandshakeDigest.PLAYER_KEY_TEXT);
        System.arraycopy(digest, 0, c1, offset, HandshakeDigest.DIGEST);
        return c1;
    }

    @Test
    void digestOffsetFollowsTheSchemes() {
        byte[] p = new byte[HandshakeDigest.PACKET];
        p[8] = 1;
        p[9] = 2;
        p[10] = 3;
        p[11] = (byte) 250;
        assertThat(HandshakeDigest.digestOffset(p, 1)).isEqualTo((1 + 2 + 3 + 250) % 728 + 12);
        p[772] = (byte) 200;
        p[773] = (byte) 200;
        p[774] = (byte) 200;
        p[775] = (byte) 200;
        assertThat(HandshakeDigest.digestOffset(p, 0)).isEqualTo(800 % 728 + 776);
    }

    @Test
    void complexHandshakeIsAnsweredWithVerifiableDigests() {
        for (int scheme : new int[] {0, 1}) {
            byte[] c1 = complexC1(scheme);
            assertThat(HandshakeDigest.findClientScheme(c1)).isEqualTo(scheme);
            ByteBuf out = Unpooled.buffer();
            RtmpServerHandshake.respond(c1, out);
            byte[] s1 = new byte[HandshakeDigest.PACKET];
            byte[] s2 = new byte[HandshakeDigest.PACKET];
            out.readBytes(s1).readBytes(s2);
            out.release();
            // What a client checks: the S1 digest under the server key, at the same scheme's offset...
            int s1Offset = HandshakeDigest.digestOffset(s1, scheme);
            byte[] s1Digest = HandshakeDigest.packetDigest(s1, s1Offset, HandshakeDigest.SERVER_KEY, HandshakeDigest.SERVER_KEY_TEXT);
            assertThat(Arrays.copyOfRange(s1, s1Offset, s1Offset + 32)).isEqualTo(s1Digest);
            // ...and the S2 digest, keyed by HMAC(server key, C1 digest).
            int c1Offset = HandshakeDigest.digestOffset(c1, scheme);
            byte[] key = HandshakeDigest.hmac(HandshakeDigest.SERVER_KEY, HandshakeDigest.SERVER_KEY.length, c1, c1Offset, 32);
            byte[] s2Digest = HandshakeDigest.hmac(key, 32, s2, 0, HandshakeDigest.PACKET - 32);
            assertThat(Arrays.copyOfRange(s2, HandshakeDigest.PACKET - 32, HandshakeDigest.PACKET)).isEqualTo(s2Digest);
            assertThat(s1[4] & 0xFF).as("nonzero S1 version tells the client to validate").isNotZero();
        }
    }

    @Test
    void simpleHandshakeEchoesC1() {
        byte[] c1 = new byte[HandshakeDigest.PACKET];
        new Random(1).nextBytes(c1);
        Arrays.fill(c1, 4, 8, (byte) 0);
        assertThat(HandshakeDigest.findClientScheme(c1)).isEqualTo(-1);
        ByteBuf out = Unpooled.buffer();
        RtmpServerHandshake.respond(c1, out);
        byte[] s2 = new byte[HandshakeDigest.PACKET];
        out.getBytes(HandshakeDigest.PACKET, s2);
        assertThat(s2).isEqualTo(c1);
        assertThat(out.getInt(4)).isZero();
        out.release();
    }

    @Test
    void serverHandshakeRemovesItselfAndPassesOnTheRest() {
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpServerHandshake(5000));
        ByteBuf in = Unpooled.buffer();
        in.writeByte(3).writeBytes(new byte[HandshakeDigest.PACKET]);
        ch.writeInbound(in);
        ByteBuf response = ch.readOutbound();
        assertThat(response.readableBytes()).isEqualTo(1 + 2 * HandshakeDigest.PACKET);
        response.release();
        ByteBuf c2AndMore = Unpooled.buffer().writeBytes(new byte[HandshakeDigest.PACKET]).writeBytes(new byte[] {9, 9});
        ch.writeInbound(c2AndMore);
        assertThat(ch.pipeline().get(RtmpServerHandshake.class)).isNull();
        ByteBuf rest = ch.readInbound();
        assertThat(rest.readableBytes()).isEqualTo(2);
        rest.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void wrongVersionByteIsRefusedAtOnce() {
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpServerHandshake(5000));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n", java.nio.charset.StandardCharsets.US_ASCII)))
                .isInstanceOf(RtmpProtocolException.class)
                .hasMessage("not an RTMP client: handshake version byte 71, expected 3");
        ch.finishAndReleaseAll();
    }
}
