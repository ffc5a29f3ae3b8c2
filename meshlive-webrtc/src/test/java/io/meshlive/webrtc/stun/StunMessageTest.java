package io.meshlive.webrtc.stun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.meshlive.testkit.Hex.hex;

class StunMessageTest {
    private static final byte[] OTHER_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBu".getBytes();

    @Test
    void decodesTheRfcSampleRequest() throws Exception {
        ByteBuf datagram = Unpooled.wrappedBuffer(Rfc5769.REQUEST);
        try {
            StunMessage message = StunMessage.decode(datagram);
            assertThat(message.type()).isEqualTo(StunMessage.BINDING_REQUEST);
            assertThat(message.transactionId()).isEqualTo(Rfc5769.TRANSACTION_ID);
            assertThat(message.username()).isEqualTo("evtj:h6vY");
            assertThat(message.priority()).isEqualTo(0x6e0001ffL);
            assertThat(message.iceControlled()).isTrue();
            assertThat(message.iceControlling()).isFalse();
            assertThat(message.tieBreaker()).isEqualTo(0x932ff9b151263b36L);
            assertThat(message.useCandidate()).isFalse();
            assertThat(message.hasMessageIntegrity()).isTrue();
            assertThat(message.hasFingerprint()).isTrue();
            assertThat(message.xorMappedAddress()).isNull();
            assertThat(message.errorCode()).isZero();
            assertThat(message.integrityMatches(datagram, Rfc5769.PASSWORD)).isTrue();
            assertThat(message.integrityMatches(datagram, OTHER_PASSWORD)).isFalse();
            assertThat(datagram.readerIndex()).isZero();
        } finally {
            datagram.release();
        }
    }

    @Test
    void decodesTheRfcIpv4Response() throws Exception {
        ByteBuf datagram = Unpooled.wrappedBuffer(Rfc5769.IPV4_RESPONSE);
        try {
            StunMessage message = StunMessage.decode(datagram);
            assertThat(message.type()).isEqualTo(StunMessage.BINDING_SUCCESS);
            assertThat(message.xorMappedAddress())
                    .isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
            assertThat(message.username()).isNull();
            assertThat(message.integrityMatches(datagram, Rfc5769.PASSWORD)).isTrue();
            assertThat(message.hasFingerprint()).isTrue();
        } finally {
            datagram.release();
        }
    }

    @Test
    void decodesTheRfcIpv6Response() throws Exception {
        ByteBuf datagram = Unpooled.wrappedBuffer(Rfc5769.IPV6_RESPONSE);
        try {
            StunMessage message = StunMessage.decode(datagram);
            assertThat(message.xorMappedAddress()).isEqualTo(new InetSocketAddress(
                    InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
            assertThat(message.integrityMatches(datagram, Rfc5769.PASSWORD)).isTrue();
        } finally {
            datagram.release();
        }
    }

    @Test
    void decodesFromADirectBufferPastItsStart() throws Exception {
        ByteBuf datagram = PooledByteBufAllocator.DEFAULT.directBuffer();
        try {
            datagram.writeZero(7).writeBytes(Rfc5769.REQUEST).skipBytes(7);
            StunMessage message = StunMessage.decode(datagram);
            assertThat(message.username()).isEqualTo("evtj:h6vY");
            assertThat(message.hasFingerprint()).isTrue();
            assertThat(message.integrityMatches(datagram, Rfc5769.PASSWORD)).isTrue();
            assertThat(message.integrityMatches(datagram, OTHER_PASSWORD)).isFalse();
        } finally {
            datagram.release();
        }
    }

    @Test
    void tellsStunFromRtpAndDtls() {
        assertThat(looksLikeStun(Rfc5769.REQUEST)).isTrue();
        assertThat(looksLikeStun(Rfc5769.IPV6_RESPONSE)).isTrue();
        byte[] rtp = Arrays.copyOf(Rfc5769.REQUEST, Rfc5769.REQUEST.length);
        rtp[0] = (byte) 0x80;
        assertThat(looksLikeStun(rtp)).isFalse();
        byte[] dtls = Arrays.copyOf(Rfc5769.REQUEST, Rfc5769.REQUEST.length);
        dtls[0] = 0x16;
        assertThat(looksLikeStun(dtls)).isFalse();
        byte[] noCookie = Arrays.copyOf(Rfc5769.REQUEST, Rfc5769.REQUEST.length);
        noCookie[4] = 0x22;
        assertThat(looksLikeStun(noCookie)).isFalse();
        assertThat(looksLikeStun(Arrays.copyOf(Rfc5769.REQUEST, 19))).isFalse();
    }

    @Test
    void integrityDoesNotCoverTheFingerprint() throws Exception {
        // Without its FINGERPRINT the request's MESSAGE-INTEGRITY still holds: it was computed
        // with the length counting the message only up to itself.
        byte[] bytes = withoutFingerprint(Rfc5769.REQUEST);
        StunMessage message = decode(bytes);
        assertThat(message.hasFingerprint()).isFalse();
        assertThat(integrityMatches(bytes, Rfc5769.PASSWORD)).isTrue();
    }

    @Test
    void aChangedByteFailsTheIntegrityCheck() throws Exception {
        byte[] username = withoutFingerprint(Rfc5769.REQUEST);
        username[64] ^= 1; // in "evtj:h6vY"
        assertThat(integrityMatches(username, Rfc5769.PASSWORD)).isFalse();

        byte[] hmac = withoutFingerprint(Rfc5769.REQUEST);
        hmac[Rfc5769.REQUEST_INTEGRITY_AT + 4 + 19] ^= 1;
        assertThat(integrityMatches(hmac, Rfc5769.PASSWORD)).isFalse();
    }

    @Test
    void aChangedByteFailsTheFingerprint() {
        for (int at : new int[] {1, 9, 30, 64, Rfc5769.REQUEST_INTEGRITY_AT + 10, Rfc5769.REQUEST.length - 1}) {
            byte[] bytes = Rfc5769.REQUEST.clone();
            bytes[at] ^= 0x04;
            assertThatThrownBy(() -> decode(bytes)).as("byte %d changed", at).isInstanceOf(StunException.class);
        }
        byte[] bytes = Rfc5769.REQUEST.clone();
        bytes[64] ^= 1;
        assertThatThrownBy(() -> decode(bytes)).hasMessage("FINGERPRINT does not match");
    }

    @Test
    void attributesAfterMessageIntegrityAreIgnored() throws Exception {
        byte[] request = withoutFingerprint(Rfc5769.REQUEST);
        byte[] bytes = Arrays.copyOf(request, request.length + 4);
        bytes[request.length + 1] = 0x25; // USE-CANDIDATE, not covered by the integrity
        bytes[3] += 4;
        assertThat(decode(bytes).useCandidate()).isFalse();
        assertThat(integrityMatches(bytes, Rfc5769.PASSWORD)).isTrue();
    }

    @Test
    void rejectsBadFraming() {
        byte[] oddLength = Rfc5769.REQUEST.clone();
        oddLength[3] = 0x59;
        assertThatThrownBy(() -> decode(oddLength)).hasMessageContaining("not a multiple of 4");

        byte[] truncated = Arrays.copyOf(Rfc5769.REQUEST, Rfc5769.REQUEST.length - 4);
        assertThatThrownBy(() -> decode(truncated)).hasMessageContaining("does not match the datagram");

        byte[] trailing = Arrays.copyOf(Rfc5769.REQUEST, Rfc5769.REQUEST.length + 4);
        assertThatThrownBy(() -> decode(trailing)).hasMessageContaining("does not match the datagram");

        byte[] longAttribute = Rfc5769.REQUEST.clone();
        longAttribute[23] = 0x60; // SOFTWARE claims 96 bytes
        assertThatThrownBy(() -> decode(longAttribute)).hasMessageContaining("runs past the end");

        byte[] topBits = Rfc5769.REQUEST.clone();
        topBits[0] = 0x40;
        assertThatThrownBy(() -> decode(topBits)).hasMessageContaining("first two bits");

        byte[] noCookie = Rfc5769.REQUEST.clone();
        noCookie[7] = 0x43;
        assertThatThrownBy(() -> decode(noCookie)).hasMessage("no magic cookie");

        assertThatThrownBy(() -> decode(new byte[19])).hasMessageContaining("shorter than a STUN header");
    }

    @Test
    void rejectsAnAttributeWhosePaddingRunsPastTheEnd() {
        // The SOFTWARE header ends the message; its one byte of value and three of padding are missing.
        byte[] cut = message("0001 0008", "0025 0000 8022 0001");
        assertThatThrownBy(() -> decode(cut)).hasMessageContaining("attribute 0x8022 of 1 bytes runs past the end");
    }

    @Test
    void rejectsMessageIntegrityOfTheWrongSize() {
        byte[] bytes = message("0001 0014", "0008 0010 00000000 00000000 00000000 00000000");
        assertThatThrownBy(() -> decode(bytes)).hasMessage("MESSAGE-INTEGRITY of 16 bytes, expected 20");
    }

    @Test
    void rejectsAFingerprintThatIsNotLast() {
        byte[] bytes = message("0001 000c", "8028 0004 00000000 0025 0000");
        assertThatThrownBy(() -> decode(bytes)).hasMessage("FINGERPRINT is not the last attribute");
    }

    @Test
    void rejectsKnownAttributesOfTheWrongSize() {
        assertThatThrownBy(() -> decode(message("0001 0008", "0024 0002 0000 0000")))
                .hasMessage("PRIORITY of 2 bytes, expected 4");
        assertThatThrownBy(() -> decode(message("0101 000c", "0020 0008 0002 0000 00000000")))
                .hasMessage("XOR-MAPPED-ADDRESS (IPv6) of 8 bytes, expected 20");
        assertThatThrownBy(() -> decode(message("0101 000c", "0020 0008 0003 0000 00000000")))
                .hasMessage("XOR-MAPPED-ADDRESS of unknown family 3");
    }

    @Test
    void skipsUnknownAttributesEvenComprehensionRequiredOnes() throws Exception {
        // CHANGE-REQUEST (0x0003, RFC 5780) and an unassigned 0x7fff with an odd length.
        StunMessage message = decode(message("0001 0014", "0003 0004 00000006 7fff 0003 616263ff 0025 0000"));
        assertThat(message.useCandidate()).isTrue();
        assertThat(message.hasMessageIntegrity()).isFalse();
    }

    @Test
    void withoutMessageIntegrityNothingMatches() throws Exception {
        assertThat(integrityMatches(message("0001 0000", ""), Rfc5769.PASSWORD)).isFalse();
    }

    @Test
    void readsAnErrorCode() throws Exception {
        StunMessage message = decode(message("0111 0010", "0009 000c 00000401 556e6b6e 6f776e00"));
        assertThat(message.type()).isEqualTo(StunMessage.BINDING_ERROR);
        assertThat(message.errorCode()).isEqualTo(401);
    }

    /** A header of {@code typeAndLength} hex, the RFC 5769 cookie and transaction id, then {@code attributes} hex. */
    static byte[] message(String typeAndLength, String attributes) {
        return hex(typeAndLength + "2112a442 b7e7a701bc34d686fa87dfae" + attributes);
    }

    static byte[] withoutFingerprint(byte[] message) {
        byte[] bytes = Arrays.copyOf(message, message.length - 8);
        bytes[3] -= 8;
        return bytes;
    }

    static StunMessage decode(byte[] bytes) throws StunException {
        ByteBuf datagram = Unpooled.wrappedBuffer(bytes);
        try {
            return StunMessage.decode(datagram);
        } finally {
            datagram.release();
        }
    }

    private static boolean integrityMatches(byte[] bytes, byte[] key) throws StunException {
        ByteBuf datagram = Unpooled.wrappedBuffer(bytes);
        try {
            return StunMessage.decode(datagram).integrityMatches(datagram, key);
        } finally {
            datagram.release();
        }
    }

    private static boolean looksLikeStun(byte[] bytes) {
        ByteBuf datagram = Unpooled.wrappedBuffer(bytes);
        try {
            return StunMessage.looksLikeStun(datagram);
        } finally {
            datagram.release();
        }
    }
}
