package io.meshlive.webrtc.rtp;

import io.meshlive.testkit.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RtpHeaderTest {
    @Test
    void readsFfmpegsFixedHeader() throws RtpException {
        List<byte[]> packets = Captures.h264Packets();
        ByteBuf first = Unpooled.wrappedBuffer(packets.get(0));
        assertThat(RtpHeader.looksLikeRtp(first)).isTrue();
        assertThat(RtpHeader.version(first)).isEqualTo(2);
        assertThat(RtpHeader.payloadType(first)).isEqualTo(96); // as in h264.sdp
        assertThat(RtpHeader.sequence(first)).isEqualTo(2273);
        assertThat(RtpHeader.timestamp(first)).isEqualTo(26265531L);
        assertThat(RtpHeader.marker(first)).isFalse();
        assertThat(RtpHeader.headerLength(first)).isEqualTo(12);
        assertThat(RtpHeader.paddingLength(first)).isZero();
        ByteBuf lastOfIdr = Unpooled.wrappedBuffer(packets.get(4));
        assertThat(RtpHeader.marker(lastOfIdr)).isTrue();
        assertThat(RtpHeader.ssrc(lastOfIdr)).isEqualTo(RtpHeader.ssrc(first));
    }

    /** Two CSRCs, an RFC 8285 one-byte extension of one word, 3 payload bytes and 4 of padding. */
    private static final String FULL = "b2 e0 1234 00000064 11223344"
            + "aaaaaaaa bbbbbbbb"          // CSRCs
            + "bede 0001 12 abcd 00"      // extension: id 1, 2 bytes, one padding byte
            + "010203"                    // payload
            + "00000004";                 // padding, its count last

    @Test
    void readsCsrcsExtensionAndPadding() throws RtpException {
        ByteBuf p = Hex.buffer(FULL);
        assertThat(RtpHeader.csrcCount(p)).isEqualTo(2);
        assertThat(RtpHeader.marker(p)).isTrue();
        assertThat(RtpHeader.payloadType(p)).isEqualTo(96);
        assertThat(RtpHeader.headerLength(p)).isEqualTo(12 + 8 + 8);
        assertThat(RtpHeader.paddingLength(p)).isEqualTo(4);
        assertThat(RtpHeader.payloadLength(p)).isEqualTo(3);
    }

    @Test
    void indexesCountFromTheReaderIndex() throws RtpException {
        ByteBuf p = Hex.buffer("ffff" + FULL);
        p.skipBytes(2);
        assertThat(RtpHeader.sequence(p)).isEqualTo(0x1234);
        assertThat(RtpHeader.ssrc(p)).isEqualTo(0x11223344L);
        assertThat(RtpHeader.headerLength(p)).isEqualTo(28);
        RtpHeader.setSequence(p, 0xBEEF);
        assertThat(p.getUnsignedShort(4)).isEqualTo(0xBEEF);
    }

    @Test
    void rejectsHeadersRunningPastThePacket() {
        assertThatThrownBy(() -> RtpHeader.headerLength(Hex.buffer("80 60 0001 00000000 00000000".substring(0, 20))))
                .isInstanceOf(RtpException.class).hasMessageContaining("shorter")
                .satisfies(e -> assertThat(e.getStackTrace()).as("no stack trace filled per bad packet").isEmpty());
        assertThatThrownBy(() -> RtpHeader.headerLength(Hex.buffer("83 60 0001 00000000 00000000 aaaaaaaa")))
                .isInstanceOf(RtpException.class).hasMessageContaining("header of 24");
        assertThatThrownBy(() -> RtpHeader.headerLength(Hex.buffer("90 60 0001 00000000 00000000 bede")))
                .isInstanceOf(RtpException.class).hasMessageContaining("extension");
        assertThatThrownBy(() -> RtpHeader.headerLength(Hex.buffer("90 60 0001 00000000 00000000 bede 0002 00000000")))
                .isInstanceOf(RtpException.class).hasMessageContaining("header of 24");
        assertThatThrownBy(() -> RtpHeader.headerLength(Hex.buffer("40 60 0001 00000000 00000000")))
                .isInstanceOf(RtpException.class).hasMessageContaining("version 1");
    }

    @Test
    void rejectsBadPadding() {
        assertThatThrownBy(() -> RtpHeader.paddingLength(Hex.buffer("a0 60 0001 00000000 00000000 0102 00")))
                .isInstanceOf(RtpException.class).hasMessageContaining("padding of 0");
        assertThatThrownBy(() -> RtpHeader.paddingLength(Hex.buffer("a0 60 0001 00000000 00000000 0102 04")))
                .isInstanceOf(RtpException.class).hasMessageContaining("padding of 4");
    }

    @Test
    void tellsRtpFromRtcpStunAndDtls() {
        ByteBuf rtp = Hex.buffer("80 60 0001 00000000 00000000");
        ByteBuf rtpWithMarker = Hex.buffer("80 e0 0001 00000000 00000000");
        ByteBuf senderReport = Hex.buffer("80 c8 0006 11223344 00000000 00000000 00000000 00000000 00000000");
        ByteBuf receiverReport = Hex.buffer("81 c9 0007 11223344 00000000 00000000");
        ByteBuf stun = Hex.buffer("0001 0000 2112a442 000000000000000000000000");
        ByteBuf dtls = Hex.buffer("16 fefd 0000 000000000000 0010");
        assertThat(List.of(rtp, rtpWithMarker, senderReport, receiverReport, stun, dtls))
                .extracting(RtpHeader::looksLikeRtp).containsExactly(true, true, false, false, false, false);
        assertThat(List.of(rtp, rtpWithMarker, senderReport, receiverReport, stun, dtls))
                .extracting(RtpHeader::isRtcp).containsExactly(false, false, true, true, false, false);
    }

    @Test
    void writesAndRewritesTheFixedHeader() {
        ByteBuf p = Unpooled.buffer();
        RtpHeader.write(p, true, 111, 65535, 0xFFFF_FFFFL, 0xDEAD_BEEFL);
        assertThat(ByteBufUtil.hexDump(p)).isEqualTo("80efffffffffffffdeadbeef");
        RtpHeader.setPayloadType(p, 96);
        RtpHeader.setSequence(p, 7);
        RtpHeader.setTimestamp(p, 0x1_0000_0005L); // wraps to 32 bits
        RtpHeader.setSsrc(p, 1);
        RtpHeader.setMarker(p, false);
        assertThat(ByteBufUtil.hexDump(p)).isEqualTo("8060000700000005" + "00000001");
    }
}
