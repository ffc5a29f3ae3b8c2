package io.meshlive.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Packet lists, Opus packets in them, and the RTP clock. */
class RtpPacketListTest {
    @Test
    void opusPacketsGoWholeAndComeBackWhole() throws RtpException {
        ByteBuf opus = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("fcfffe0102"));
        ByteBuf list = ByteBufAllocator.DEFAULT.buffer();
        try {
            OpusPacketizer.packetize(opus, 111, 960, list);
            OpusPacketizer.packetize(opus, 111, 1920, list);
            assertThat(RtpPacketList.count(list)).isEqualTo(2);
            List<String> packets = new ArrayList<>();
            RtpPacketList.forEach(list, (buf, offset, length) ->
                    packets.add(ByteBufUtil.hexDump(buf, offset, length)));
            assertThat(packets).containsExactly(
                    "806f0000000003c000000000" + "fcfffe0102",
                    "806f00000000078000000000" + "fcfffe0102");
            assertThat(opus.readerIndex()).isZero();

            ByteBuf first = list.retainedSlice(2, 17);
            ByteBuf payload = OpusDepacketizer.opusPacket(first);
            first.release();
            assertThat(ByteBufUtil.hexDump(payload)).isEqualTo("fcfffe0102");
            payload.release();
        } finally {
            list.release();
        }
    }

    @Test
    void aRecordRunningPastTheEndIsRefused() {
        ByteBuf list = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("000c806f0000"));
        assertThatThrownBy(() -> RtpPacketList.count(list)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clockScalesAndWraps() {
        assertThat(RtpClock.toRtp(1_000_000, RtpClock.VIDEO_CLOCK_RATE)).isEqualTo(90_000);
        assertThat(RtpClock.toRtp(20_000, RtpClock.OPUS_CLOCK_RATE)).isEqualTo(960);
        assertThat(RtpClock.toRtp(33_333, RtpClock.VIDEO_CLOCK_RATE)).isEqualTo(2999);
        // 2^32 / 90 kHz is 47721.858... s: past it the timestamp starts again from 0.
        long wrapMicros = (1L << 32) * 1_000_000L / 90_000L + 1;
        assertThat(RtpClock.toRtp(wrapMicros, RtpClock.VIDEO_CLOCK_RATE)).isLessThan(90);
        assertThat(RtpClock.toRtp(Long.MAX_VALUE, RtpClock.VIDEO_CLOCK_RATE)).isBetween(0L, 0xFFFF_FFFFL);
        assertThat(RtpClock.toRtp(-1, RtpClock.VIDEO_CLOCK_RATE)).isEqualTo(0xFFFF_FFFFL);
    }
}
