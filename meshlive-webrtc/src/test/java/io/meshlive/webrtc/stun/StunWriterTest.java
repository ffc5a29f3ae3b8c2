package io.meshlive.webrtc.stun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StunWriterTest {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    @Test
    void integrityAndFingerprintReproduceTheRfcVectors() {
        // Each RFC message cut before its MESSAGE-INTEGRITY, completed by our code, must come
        // out byte for byte (the cut keeps the RFC's SOFTWARE with its 0x20 padding).
        assertCompletedLikeTheRfc(Rfc5769.REQUEST, Rfc5769.REQUEST_INTEGRITY_AT);
        assertCompletedLikeTheRfc(Rfc5769.IPV4_RESPONSE, Rfc5769.IPV4_INTEGRITY_AT);
        assertCompletedLikeTheRfc(Rfc5769.IPV6_RESPONSE, Rfc5769.IPV6_INTEGRITY_AT);
    }

    private static void assertCompletedLikeTheRfc(byte[] rfc, int integrityAt) {
        ByteBuf message = ALLOC.directBuffer();
        try {
            message.writeBytes(rfc, 0, integrityAt);
            MessageIntegrity.append(message, 0, Rfc5769.PASSWORD);
            Fingerprint.append(message, 0);
            assertThat(ByteBufUtil.getBytes(message)).isEqualTo(rfc);
        } finally {
            message.release();
        }
    }

    @Test
    void bindingSuccessOverIpv4HasTheRfcMappedAddress() throws Exception {
        InetSocketAddress mapped = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853);
        ByteBuf out = StunWriter.bindingSuccess(ALLOC, Rfc5769.TRANSACTION_ID, mapped, Rfc5769.PASSWORD);
        try {
            assertThat(ByteBufUtil.getBytes(out, 0, 4)).isEqualTo(new byte[] {0x01, 0x01, 0x00, 0x2c});
            assertThat(ByteBufUtil.getBytes(out, 4, 16)).isEqualTo(Arrays.copyOfRange(Rfc5769.IPV4_RESPONSE, 4, 20));
            assertThat(ByteBufUtil.getBytes(out, 20, 12)).isEqualTo(Arrays.copyOfRange(
                    Rfc5769.IPV4_RESPONSE, Rfc5769.IPV4_XOR_MAPPED_AT, Rfc5769.IPV4_XOR_MAPPED_AT + 12));
            assertThat(out.readableBytes()).isEqualTo(20 + 12 + 24 + 8);
            StunMessage decoded = StunMessage.decode(out);
            assertThat(decoded.type()).isEqualTo(StunMessage.BINDING_SUCCESS);
            assertThat(decoded.transactionId()).isEqualTo(Rfc5769.TRANSACTION_ID);
            assertThat(decoded.xorMappedAddress()).isEqualTo(mapped);
            assertThat(decoded.hasFingerprint()).isTrue();
            assertThat(decoded.integrityMatches(out, Rfc5769.PASSWORD)).isTrue();
        } finally {
            out.release();
        }
    }

    @Test
    void bindingSuccessOverIpv6HasTheRfcMappedAddress() throws Exception {
        InetSocketAddress mapped = new InetSocketAddress(
                InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853);
        ByteBuf out = StunWriter.bindingSuccess(ALLOC, Rfc5769.TRANSACTION_ID, mapped, Rfc5769.PASSWORD);
        try {
            assertThat(ByteBufUtil.getBytes(out, 20, 24)).isEqualTo(Arrays.copyOfRange(
                    Rfc5769.IPV6_RESPONSE, Rfc5769.IPV6_XOR_MAPPED_AT, Rfc5769.IPV6_XOR_MAPPED_AT + 24));
            StunMessage decoded = StunMessage.decode(out);
            assertThat(decoded.xorMappedAddress()).isEqualTo(mapped);
            assertThat(decoded.integrityMatches(out, Rfc5769.PASSWORD)).isTrue();
        } finally {
            out.release();
        }
    }

    @Test
    void bindingErrorWithoutAKeyHasNoIntegrity() throws Exception {
        ByteBuf out = StunWriter.bindingError(ALLOC, Rfc5769.TRANSACTION_ID, 401, "Unauthorized", null);
        try {
            // ERROR-CODE: reserved, class 4, number 1, "Unauthorized" (12 bytes, no padding).
            assertThat(ByteBufUtil.hexDump(out, 20, 20)).isEqualTo("0009001000000401" + "556e617574686f72697a6564");
            assertThat(out.readableBytes()).isEqualTo(20 + 20 + 8);
            StunMessage decoded = StunMessage.decode(out);
            assertThat(decoded.type()).isEqualTo(StunMessage.BINDING_ERROR);
            assertThat(decoded.errorCode()).isEqualTo(401);
            assertThat(decoded.hasMessageIntegrity()).isFalse();
            assertThat(decoded.hasFingerprint()).isTrue();
        } finally {
            out.release();
        }
    }

    @Test
    void bindingErrorWithAKeyIsAuthenticatedAndPadsTheReason() throws Exception {
        ByteBuf out = StunWriter.bindingError(ALLOC, Rfc5769.TRANSACTION_ID, 487, "Role Conflict", Rfc5769.PASSWORD);
        try {
            // 4 + 13 bytes of value, padded to 20.
            assertThat(ByteBufUtil.hexDump(out, 20, 8)).isEqualTo("0009001100000457");
            assertThat(ByteBufUtil.hexDump(out, 41, 3)).isEqualTo("000000");
            StunMessage decoded = StunMessage.decode(out);
            assertThat(decoded.errorCode()).isEqualTo(487);
            assertThat(decoded.integrityMatches(out, Rfc5769.PASSWORD)).isTrue();
        } finally {
            out.release();
        }
    }

    @Test
    void bindingErrorRefusesCodesOutsideTheRange() {
        assertThatThrownBy(() -> StunWriter.bindingError(ALLOC, Rfc5769.TRANSACTION_ID, 200, "OK", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StunWriter.bindingError(ALLOC, Rfc5769.TRANSACTION_ID, 700, "?", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bindingRequestCarriesTheIceAttributes() throws Exception {
        byte[] key = "peer-password-0123456789".getBytes(StandardCharsets.UTF_8);
        long priority = IceCredentials.candidatePriority(110, 65535, 1);
        ByteBuf out = StunWriter.bindingRequest(ALLOC, Rfc5769.TRANSACTION_ID, "abcd:efg", key, priority,
                0x8000000000000001L, true, true);
        try {
            StunMessage decoded = StunMessage.decode(out);
            assertThat(decoded.type()).isEqualTo(StunMessage.BINDING_REQUEST);
            assertThat(decoded.username()).isEqualTo("abcd:efg");
            assertThat(decoded.priority()).isEqualTo(priority);
            assertThat(decoded.iceControlling()).isTrue();
            assertThat(decoded.iceControlled()).isFalse();
            assertThat(decoded.tieBreaker()).isEqualTo(0x8000000000000001L);
            assertThat(decoded.useCandidate()).isTrue();
            assertThat(decoded.integrityMatches(out, key)).isTrue();
            assertThat(decoded.integrityMatches(out, Rfc5769.PASSWORD)).isFalse();
        } finally {
            out.release();
        }
    }

    @Test
    void bindingRequestPadsAnOddUsername() throws Exception {
        byte[] key = Rfc5769.PASSWORD;
        ByteBuf out = StunWriter.bindingRequest(ALLOC, Rfc5769.TRANSACTION_ID, "evtj:h6vY", key, 0x6e0001ffL,
                0x932ff9b151263b36L, false, false);
        try {
            // USERNAME as in the RFC request, but zero padding.
            assertThat(ByteBufUtil.hexDump(out, 20, 16)).isEqualTo("00060009" + "6576746a3a68367659" + "000000");
            StunMessage decoded = StunMessage.decode(out);
            assertThat(decoded.iceControlled()).isTrue();
            assertThat(decoded.useCandidate()).isFalse();
            assertThat(decoded.integrityMatches(out, key)).isTrue();
        } finally {
            out.release();
        }
    }

    @Test
    void refusesAnUnresolvedAddressAndAShortTransactionId() {
        assertThatThrownBy(() -> StunWriter.bindingSuccess(ALLOC, Rfc5769.TRANSACTION_ID,
                InetSocketAddress.createUnresolved("example.org", 1), Rfc5769.PASSWORD))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StunWriter.bindingError(ALLOC, new byte[11], 400, "Bad Request", null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
