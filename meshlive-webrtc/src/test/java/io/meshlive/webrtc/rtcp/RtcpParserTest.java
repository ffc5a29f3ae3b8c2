package io.meshlive.webrtc.rtcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.meshlive.testkit.Hex.hex;

class RtcpParserTest {
    @Test
    void parsesABrowserCompoundPacket() throws Exception {
        assertThat(parse(PionPackets.REAL_COMPOUND)).containsExactly(
                "block 902f9e2e about bc5e9a40 fraction=0 lost=0 highest=46e1 jitter=273 lsr=9f36432 dlsr=150137",
                "bye 902f9e2e",
                "pli 902f9e2e 902f9e2e");
    }

    @Test
    void parsesASenderReportAndItsBlocks() throws Exception {
        assertThat(parse(PionPackets.SENDER_REPORT)).containsExactly(
                "sr 902f9e2e ntp=da8bd1fcdddda05a rtp=aaf4edd5 packets=1 octets=2",
                "block 902f9e2e about bc5e9a40 fraction=0 lost=0 highest=46e1 jitter=273 lsr=9f36432 dlsr=150137");
        assertThat(parse(PionPackets.SENDER_REPORT_AND_SDES)).containsExactly(
                "sr 2b7ec0c5 ntp=e020a2a952a53fc0 rtp=2e48a552 packets=70 octets=4637");
    }

    @Test
    void aReportBlockMustFitInTheDeclaredLength() {
        byte[] declaredSeven = PionPackets.SENDER_REPORT.clone();
        declaredSeven[3] = 7;
        // pion's original: 7 words leave no room for the block its count announces.
        assertThatThrownBy(() -> parse(declaredSeven)).isInstanceOf(RtcpException.class)
                .hasMessage("sender report with a count of 1 does not fit in its length");
    }

    @Test
    void readsSignedCumulativeLossAndFractionLost() throws Exception {
        assertThat(parse(hex("81c90007 00000001 00000002 40fffffe 00010005 00000000 00000000 00000000")))
                .containsExactly("block 1 about 2 fraction=64 lost=-2 highest=10005 jitter=0 lsr=0 dlsr=0");
    }

    @Test
    void expandsANackIntoEveryLostSequence() throws Exception {
        // PID 0xaaaa = 43690 and BLP 0x5555: bits 0, 2, ... 14, so PID + 1, 3, ... 15.
        assertThat(parse(PionPackets.NACK)).containsExactly(
                "nack 902f9e2e 902f9e2e 43690", "nack 902f9e2e 902f9e2e 43691", "nack 902f9e2e 902f9e2e 43693",
                "nack 902f9e2e 902f9e2e 43695", "nack 902f9e2e 902f9e2e 43697", "nack 902f9e2e 902f9e2e 43699",
                "nack 902f9e2e 902f9e2e 43701", "nack 902f9e2e 902f9e2e 43703", "nack 902f9e2e 902f9e2e 43705");
    }

    @Test
    void nackBitsWrapPast65535() throws Exception {
        assertThat(parse(hex("81cd0003 00000001 00000002 fffe8003"))).containsExactly(
                "nack 1 2 65534", "nack 1 2 65535", "nack 1 2 0", "nack 1 2 14");
    }

    @Test
    void parsesChromesRemb() throws Exception {
        // Mantissa 139487, exponent 6.
        assertThat(parse(PionPackets.CHROME_REMB)).containsExactly("remb 1 8927168 [1215622422]");
    }

    @Test
    void aRembBeyondSixtyThreeBitsSaysNoLimit() throws Exception {
        // Mantissa 0x3ffff, exponent 63 (pion's overflow case).
        assertThat(parse(hex("8fce0004 00000000 00000000 52454d42 00ffffff")))
                .containsExactly("remb 0 " + Long.MAX_VALUE + " []");
    }

    @Test
    void otherApplicationFeedbackIsSkipped() throws Exception {
        assertThat(parse(hex("8fce0004 00000001 00000000 474f4f47 01020304"))).isEmpty();
    }

    @Test
    void parsesEveryFirEntry() throws Exception {
        assertThat(parse(PionPackets.FIR)).containsExactly("fir 0 12345678 seq=66", "fir 0 98765432 seq=87");
    }

    @Test
    void handsOverTransportFeedbackWithoutItsPadding() throws Exception {
        assertThat(parse(PionPackets.TRANSPORT_CC)).containsExactly("twcc fa17fa17 43032fa0 009900013de80217200194");
    }

    @Test
    void readsFromTheReaderIndexWithoutMovingIt() throws Exception {
        ByteBuf datagram = PooledByteBufAllocator.DEFAULT.directBuffer();
        try {
            datagram.writeZero(5).writeBytes(PionPackets.NACK).skipBytes(5);
            RecordingHandler handler = new RecordingHandler();
            RtcpParser.parse(datagram, handler);
            assertThat(handler.calls).hasSize(9);
            assertThat(datagram.readerIndex()).isEqualTo(5);
        } finally {
            datagram.release();
        }
    }

    @Test
    void rejectsMalformedFraming() {
        assertRejected("", "empty RTCP datagram");
        assertRejected("41ce0002 00000001 00000002", "RTCP version 1");
        assertRejected("81ce0003 00000001 00000002", "packet type 206 of 16 bytes runs past the end of the datagram");
        assertRejected("81ce0002 00000001 00000002 81ce", "2 bytes left after the last packet, less than a header");
        assertRejected("a1ce0002 00000001 00000000", "padding of 0 bytes in a packet of 12");
        assertRejected("a1ce0002 00000001 0000000d", "padding of 13 bytes in a packet of 12");
    }

    @Test
    void rejectsBodiesTheirLengthCannotHold() {
        assertRejected("82c90007 00000001 00000002 00000000 00000000 00000000 00000000 00000000",
                "receiver report with a count of 2 does not fit in its length");
        assertRejected("81c80001 00000001", "sender report with a count of 1 does not fit in its length");
        assertRejected("82cb0001 00000001", "BYE with a count of 2 does not fit in its length");
        assertRejected("81ce0001 00000001", "feedback packet of 4 bytes after the header, less than its two SSRCs");
        assertRejected("a1cd0003 00000001 00000002 00010002",
                "NACK with 2 bytes of FCI, not a multiple of 4");
        assertRejected("84ce0003 00000001 00000000 00000002", "FIR with 4 bytes of FCI, not a multiple of 8");
        assertRejected("8fce0004 00000001 00000000 52454d42 02000001",
                "REMB with 2 SSRCs does not fit in its length");
        assertRejected("8fcd0003 00000001 00000002 00010001", "transport-wide feedback with 4 bytes of FCI");
    }

    @Test
    void packetsBeforeAMalformedOneAreDelivered() {
        byte[] bytes = hex("81ce0002 00000001 00000002 81ce0005 00000001 00000002");
        RecordingHandler handler = new RecordingHandler();
        ByteBuf datagram = Unpooled.wrappedBuffer(bytes);
        try {
            assertThatThrownBy(() -> RtcpParser.parse(datagram, handler)).isInstanceOf(RtcpException.class);
            assertThat(handler.calls).containsExactly("pli 1 2");
        } finally {
            datagram.release();
        }
    }

    @Test
    void aHandlerNeedOnlyImplementWhatItUses() throws Exception {
        ByteBuf datagram = Unpooled.wrappedBuffer(PionPackets.REAL_COMPOUND);
        try {
            int[] plis = new int[1];
            RtcpParser.parse(datagram, new RtcpHandler() {
                @Override
                public void onPli(long senderSsrc, long mediaSsrc) {
                    plis[0]++;
                }
            });
            assertThat(plis[0]).isEqualTo(1);
        } finally {
            datagram.release();
        }
    }

    private static void assertRejected(String hex, String message) {
        assertThatThrownBy(() -> parse(hex(hex))).isInstanceOf(RtcpException.class).hasMessage(message);
    }

    static List<String> parse(byte[] bytes) throws RtcpException {
        RecordingHandler handler = new RecordingHandler();
        ByteBuf datagram = Unpooled.wrappedBuffer(bytes);
        try {
            RtcpParser.parse(datagram, handler);
        } finally {
            datagram.release();
        }
        return handler.calls;
    }
}
