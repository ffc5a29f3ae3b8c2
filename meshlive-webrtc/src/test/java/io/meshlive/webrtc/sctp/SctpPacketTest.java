package io.meshlive.webrtc.sctp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.meshlive.testkit.Hex.hex;

class SctpPacketTest {
    /**
     * The CRC32c vectors of RFC 3720 B.4 (the iSCSI CRC that RFC 3309 gave SCTP), as the bytes
     * go on the wire: least significant byte first, as SCTP stores its checksum.
     */
    @Test
    void crc32cMatchesTheRfc3720Vectors() {
        byte[] zeros = new byte[32];
        byte[] ones = new byte[32];
        byte[] up = new byte[32];
        byte[] down = new byte[32];
        for (int i = 0; i < 32; i++) {
            ones[i] = (byte) 0xFF;
            up[i] = (byte) i;
            down[i] = (byte) (31 - i);
        }
        assertThat(wire(zeros)).isEqualTo("aa36918a");
        assertThat(wire(ones)).isEqualTo("43aba862");
        assertThat(wire(up)).isEqualTo("4e79dd46");
        assertThat(wire(down)).isEqualTo("5cdb3f11");
    }

    private static String wire(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return ByteBufUtil.hexDump(Unpooled.buffer(4).writeIntLE((int) crc.getValue()));
    }

    @Test
    void readsChromiumsInit() throws SctpException {
        SctpPacket p = SctpPacket.parse(Unpooled.wrappedBuffer(ChromiumPackets.INIT));
        assertThat(p.sourcePort()).isEqualTo(5000);
        assertThat(p.destinationPort()).isEqualTo(5000);
        assertThat(p.verificationTag()).isZero();
        assertThat(p.chunks()).hasSize(1);
        InitChunk init = InitChunk.parse(p.chunks().get(0));
        assertThat(init.initiateTag()).isEqualTo(0x07a82656L);
        assertThat(init.receiveWindow()).isEqualTo(5 << 20);
        assertThat(init.outboundStreams()).isEqualTo(65535);
        assertThat(init.inboundStreams()).isEqualTo(65535);
        assertThat(init.initialTsn()).isEqualTo(0x088e6727L);
        assertThat(init.cookie()).isNull();
    }

    @Test
    void readsChromiumsDcepOpenAsData() throws SctpException {
        SctpPacket p = SctpPacket.parse(Unpooled.wrappedBuffer(ChromiumPackets.DCEP_OPEN));
        assertThat(p.verificationTag()).isEqualTo(ChromiumPackets.LOCAL_TAG);
        DataChunk d = DataChunk.parse(p.chunks().get(0));
        assertThat(d.begins()).isTrue();
        assertThat(d.ends()).isTrue();
        assertThat(d.unordered()).isFalse();
        assertThat(d.tsn()).isEqualTo(0x088e6727L);
        assertThat(d.stream()).isZero();
        assertThat(d.ssn()).isZero();
        assertThat(d.ppid()).isEqualTo(50);
        assertThat(ByteBufUtil.getBytes(d.data())).isEqualTo(ChromiumPackets.DCEP_OPEN_MESSAGE);
    }

    /** Our writer makes Chromium's packet byte for byte, checksum included. */
    @Test
    void writesADataPacketAsChromiumDoes() {
        ByteBuf message = Unpooled.wrappedBuffer(ChromiumPackets.DCEP_OPEN_MESSAGE);
        ByteBuf p = SctpPacket.begin(Unpooled.buffer().alloc(), 64, 5000, 5000, ChromiumPackets.LOCAL_TAG);
        DataChunk.write(p, DataChunk.FLAG_BEGIN | DataChunk.FLAG_END, 0x088e6727L, 0, 0, 50, message, 0,
                message.readableBytes());
        assertThat(ByteBufUtil.getBytes(SctpPacket.finish(p))).isEqualTo(ChromiumPackets.DCEP_OPEN);
        p.release();
    }

    @Test
    void writesAndReadsChromiumsSack() throws SctpException {
        ByteBuf p = SctpPacket.begin(Unpooled.buffer().alloc(), 64, 5000, 5000, ChromiumPackets.LOCAL_TAG);
        SackChunk.write(p, 0x2a05daceL, 0x480000, new int[0], new int[0], 0);
        assertThat(ByteBufUtil.getBytes(SctpPacket.finish(p))).isEqualTo(ChromiumPackets.SACK);
        p.release();

        SackChunk s = SackChunk.parse(SctpPacket.parse(Unpooled.wrappedBuffer(ChromiumPackets.SACK_WITH_DUPLICATES))
                .chunks().get(0));
        assertThat(s.cumulativeTsnAck()).isEqualTo(0x2a05dad1L);
        assertThat(s.receiveWindow()).isEqualTo(0x480000);
        assertThat(s.gapStarts()).isEmpty();
        assertThat(s.duplicates()).isEqualTo(3);
    }

    @Test
    void gapBlocksAreReadAsOffsets() throws SctpException {
        ByteBuf p = SctpPacket.begin(Unpooled.buffer().alloc(), 64, 5000, 5000, 1);
        SackChunk.write(p, 100, 4096, new int[] {2, 6}, new int[] {3, 9}, 2);
        SctpPacket.finish(p);
        assertThat(ByteBufUtil.hexDump(p, 12, p.readableBytes() - 12))
                .isEqualTo("03000018" + "00000064" + "00001000" + "00020000" + "00020003" + "00060009");
        SackChunk s = SackChunk.parse(SctpPacket.parse(p).chunks().get(0));
        assertThat(s.gapStarts()).containsExactly(2, 6);
        assertThat(s.gapEnds()).containsExactly(3, 9);
        p.release();
    }

    @Test
    void aFlippedBitFailsTheChecksum() {
        byte[] bad = ChromiumPackets.DCEP_OPEN.clone();
        bad[bad.length - 1] ^= 1;
        assertThatThrownBy(() -> SctpPacket.parse(Unpooled.wrappedBuffer(bad)))
                .isInstanceOf(SctpException.class).hasMessageContaining("checksum");
    }

    @Test
    void malformedChunksAreRefused() {
        assertThatThrownBy(() -> SctpPacket.parse(Unpooled.wrappedBuffer(new byte[8])))
                .hasMessageContaining("shorter than the common header");
        assertThatThrownBy(() -> SctpPacket.parse(packet("00030040 00000001"))) // length beyond the packet
                .hasMessageContaining("does not fit");
        assertThatThrownBy(() -> SctpPacket.parse(packet("00030002"))) // length below the header
                .hasMessageContaining("does not fit");
        assertThatThrownBy(() -> SctpPacket.parse(packet(""))).hasMessageContaining("without a chunk");
        assertThatThrownBy(() -> DataChunk.parse(SctpPacket.parse(packet("00030010 00000001 00000000 00000033")).chunks().get(0)))
                .hasMessageContaining("no user data");
        assertThatThrownBy(() -> InitChunk.parse(SctpPacket.parse(packet(
                "01000014 00000000 00010000 00010001 00000001")).chunks().get(0))).hasMessageContaining("initiate tag 0");
        assertThatThrownBy(() -> SackChunk.parse(SctpPacket.parse(packet("0300000c 00000001 00010000")).chunks().get(0)))
                .hasMessageContaining("shorter");
        assertThatThrownBy(() -> SackChunk.parse(SctpPacket.parse(packet("03000010 00000001 00010000 00050000"))
                .chunks().get(0))).hasMessageContaining("5 gap blocks");
    }

    /** A packet with a good checksum around the given chunk bytes (an unpooled wrap: nothing to release). */
    static ByteBuf packet(String chunkHex) {
        ByteBuf p = SctpPacket.begin(Unpooled.buffer().alloc(), 64, 5000, 5000, 1);
        p.writeBytes(hex(chunkHex));
        byte[] bytes = ByteBufUtil.getBytes(SctpPacket.finish(p));
        p.release();
        return Unpooled.wrappedBuffer(bytes);
    }
}
