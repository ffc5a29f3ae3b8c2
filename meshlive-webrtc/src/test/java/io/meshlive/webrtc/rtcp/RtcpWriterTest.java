package io.meshlive.webrtc.rtcp;

import io.meshlive.media.NtpTime;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.meshlive.testkit.Hex.hex;

class RtcpWriterTest {
    @Test
    void writesTheBrowsersReceiverReportSdesAndPli() {
        byte[] real = PionPackets.REAL_COMPOUND;
        assertThat(written(out -> RtcpWriter.receiverReport(out, 0x902f9e2eL, 0xbc5e9a40L, 0, 0, 0x46e1, 273,
                0x9f36432, 150137))).isEqualTo(Arrays.copyOfRange(real, 0, PionPackets.SDES_AT));
        assertThat(written(out -> RtcpWriter.sdesCname(out, 0x902f9e2eL, "{9c00eb92-1afb-9d49-a47d-91f64eee69f5}")))
                .isEqualTo(Arrays.copyOfRange(real, PionPackets.SDES_AT, PionPackets.BYE_AT));
        assertThat(written(out -> RtcpWriter.pli(out, 0x902f9e2eL, 0x902f9e2eL)))
                .isEqualTo(Arrays.copyOfRange(real, PionPackets.PLI_AT, PionPackets.PLI_AT + 12));
    }

    @Test
    void writesASenderReport() {
        assertThat(written(out -> RtcpWriter.senderReport(out, 0x2b7ec0c5L, 0xe020a2a952a53fc0L, 0x2e48a552L, 70, 4637)))
                .isEqualTo(Arrays.copyOf(PionPackets.SENDER_REPORT_AND_SDES, 28));
    }

    @Test
    void writesChromesRemb() {
        assertThat(written(out -> RtcpWriter.remb(out, 1, 8927168, 1215622422L))).isEqualTo(PionPackets.CHROME_REMB);
    }

    @Test
    void writesAFirWithTheMediaSsrcInItsEntry() {
        byte[] fir = written(out -> RtcpWriter.fir(out, 0, 0x12345678L, 0x42));
        assertThat(ByteBufUtil.hexDump(fir)).isEqualTo("84ce0004" + "00000000" + "00000000" + "12345678" + "42000000");
        // The pion packet's first entry is the same, whatever its header's unused media SSRC.
        assertThat(Arrays.copyOfRange(fir, 12, 20)).isEqualTo(Arrays.copyOfRange(PionPackets.FIR, 12, 20));
    }

    @Test
    void writesAReceiverReportWithoutBlocks() {
        assertThat(ByteBufUtil.hexDump(written(out -> RtcpWriter.receiverReport(out, 7, 0, 0, 0, 0, 0, 0, 0))))
                .isEqualTo("80c90001" + "00000007");
    }

    @Test
    void clampsCumulativeLossToTwentyFourSignedBits() throws Exception {
        assertThat(RtcpParserTest.parse(written(out -> RtcpWriter.receiverReport(out, 1, 2, 255, -1, 0, 0, 0, 0))))
                .containsExactly("block 1 about 2 fraction=255 lost=-1 highest=0 jitter=0 lsr=0 dlsr=0");
        assertThat(RtcpParserTest.parse(written(out -> RtcpWriter.receiverReport(out, 1, 2, 0, 10_000_000, 0, 0, 0, 0))))
                .containsExactly("block 1 about 2 fraction=0 lost=8388607 highest=0 jitter=0 lsr=0 dlsr=0");
        assertThat(RtcpParserTest.parse(written(out -> RtcpWriter.receiverReport(out, 1, 2, 0, -10_000_000, 0, 0, 0, 0))))
                .containsExactly("block 1 about 2 fraction=0 lost=-8388608 highest=0 jitter=0 lsr=0 dlsr=0");
        assertThatThrownBy(() -> written(out -> RtcpWriter.receiverReport(out, 1, 2, 256, 0, 0, 0, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void packsNacksIntoPidAndBlp() {
        assertThat(nackPairs(43690, 43691, 43693, 43695, 43697, 43699, 43701, 43703, 43705)).isEqualTo("aaaa5555");
        assertThat(written(out -> RtcpWriter.nack(out, 0x902f9e2eL, 0x902f9e2eL,
                new int[] {43690, 43691, 43693, 43695, 43697, 43699, 43701, 43703, 43705}, 9))).isEqualTo(PionPackets.NACK);
        // pion's NackPairsFromSequenceNumbers cases.
        assertThat(nackPairs(100)).isEqualTo("00640000");
        assertThat(nackPairs(100, 101, 105, 115)).isEqualTo("00644011");
        assertThat(nackPairs(100, 117, 500, 501, 502)).isEqualTo("00640000" + "00750000" + "01f40003");
    }

    @Test
    void nackPackingWrapsPast65535() {
        assertThat(nackPairs(65534, 65535, 0, 1, 14)).isEqualTo("fffe8007");
        assertThat(nackPairs(65535, 15)).isEqualTo("ffff8000");
        assertThat(nackPairs(65535, 16)).isEqualTo("ffff0000" + "00100000");
        assertThat(nackPairs(65536 + 3, -1)).as("only the low 16 bits count").isEqualTo("00030000" + "ffff0000");
    }

    @Test
    void nackPackingCopesWithDuplicatesAndDisorder() {
        assertThat(nackPairs(5, 5, 6)).isEqualTo("00050001");
        assertThat(nackPairs(10, 5, 11)).isEqualTo("000a0000" + "00050020");
    }

    @Test
    void nackWritesOnlyTheFirstCountSequences() {
        assertThat(ByteBufUtil.hexDump(written(out -> RtcpWriter.nack(out, 1, 2, new int[] {7, 8, 9}, 2))))
                .isEqualTo("81cd0003" + "00000001" + "00000002" + "00070001");
        assertThatThrownBy(() -> written(out -> RtcpWriter.nack(out, 1, 2, new int[] {7}, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> written(out -> RtcpWriter.nack(out, 1, 2, new int[] {7}, 2)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anyNackListComesBackFromTheParser() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            int count = 1 + random.nextInt(60);
            int[] lost = new int[count];
            int sequence = random.nextInt(65536);
            for (int i = 0; i < count; i++) {
                sequence = (sequence + 1 + random.nextInt(round % 2 == 0 ? 3 : 40)) & 0xFFFF;
                lost[i] = sequence;
            }
            TreeSet<Integer> expected = new TreeSet<>();
            Arrays.stream(lost).forEach(expected::add);
            TreeSet<Integer> parsed = new TreeSet<>();
            for (String call : RtcpParserTest.parse(written(out -> RtcpWriter.nack(out, 1, 2, lost, count)))) {
                parsed.add(Integer.parseInt(call.substring("nack 1 2 ".length())));
            }
            assertThat(parsed).as("round %d", round).isEqualTo(expected);
        }
    }

    @Test
    void rembRoundsTheBitrateDown() throws Exception {
        for (long bitrate : new long[] {0, 1, 262143, 262144, 262145, 8927167, 1L << 40, Long.MAX_VALUE}) {
            String call = RtcpParserTest.parse(written(out -> RtcpWriter.remb(out, 9, bitrate, 3, 4))).get(0);
            long parsed = Long.parseLong(call.split(" ")[2]);
            assertThat(parsed).as("%d", bitrate).isLessThanOrEqualTo(bitrate)
                    .isGreaterThan(bitrate - (bitrate >>> 17) - 1);
            assertThat(call).endsWith("[3, 4]");
        }
        assertThat(RtcpParserTest.parse(written(out -> RtcpWriter.remb(out, 9, 8927167)))).containsExactly("remb 9 8927104 []");
    }

    @Test
    void sdesEndsItsItemsWithOneToFourNulls() throws Exception {
        for (String cname : List.of("", "a", "ab", "abc", "abcd", "abcde")) {
            byte[] sdes = written(out -> RtcpWriter.sdesCname(out, 1, cname));
            assertThat(sdes.length % 4).isZero();
            assertThat(sdes.length - 8 - 2 - cname.length()).isBetween(1, 4);
            assertThat(sdes[sdes.length - 1]).isZero();
            assertThat(RtcpParserTest.parse(sdes)).isEmpty();
        }
        assertThatThrownBy(() -> written(out -> RtcpWriter.sdesCname(out, 1, "x".repeat(256))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCompoundPacketComesBackFromTheParser() throws Exception {
        byte[] compound = written(out -> {
            RtcpWriter.senderReport(out, 0x11111111L, NtpTime.fromEpochMillis(1_700_000_000_000L), 90000, 10, 12000);
            RtcpWriter.sdesCname(out, 0x11111111L, "meshlive");
            RtcpWriter.receiverReport(out, 0x11111111L, 0xfedcba98L, 12, 345, 0x10005, 77, 0x12345678L, 65536);
            RtcpWriter.pli(out, 0x11111111L, 0xfedcba98L);
            RtcpWriter.fir(out, 0x11111111L, 0xfedcba98L, 3);
            RtcpWriter.remb(out, 0x11111111L, 1_000_000, 0xfedcba98L);
            RtcpWriter.nack(out, 0x11111111L, 0xfedcba98L, new int[] {65535, 2}, 2);
        });
        assertThat(RtcpParserTest.parse(compound)).containsExactly(
                "sr 11111111 ntp=e8fe6f8000000000 rtp=15f90 packets=10 octets=12000",
                "block 11111111 about fedcba98 fraction=12 lost=345 highest=10005 jitter=77 lsr=12345678 dlsr=65536",
                "pli 11111111 fedcba98",
                "fir 11111111 fedcba98 seq=3",
                "remb 11111111 1000000 [4275878552]",
                "nack 11111111 fedcba98 65535",
                "nack 11111111 fedcba98 2");
    }

    /** The FCI of a NACK for {@code sequences}, in hex. */
    private static String nackPairs(int... sequences) {
        byte[] nack = written(out -> RtcpWriter.nack(out, 1, 2, sequences, sequences.length));
        int lengthWords = (nack[2] & 0xFF) << 8 | nack[3] & 0xFF;
        assertThat(nack.length).isEqualTo((lengthWords + 1) * 4);
        return ByteBufUtil.hexDump(nack, 12, nack.length - 12);
    }

    private static byte[] written(Consumer<ByteBuf> writer) {
        ByteBuf out = Unpooled.buffer();
        try {
            writer.accept(out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
