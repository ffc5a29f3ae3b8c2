package io.meshlive.webrtc.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** abs-send-time: 6.18 fixed-point seconds that wrap every 64 s, in an RFC 8285 one-byte-header block. */
class AbsSendTimeTest {
    @Test
    void timeIsSixBitsOfSecondsAndEighteenOfFraction() {
        assertThat(AbsSendTime.fromNanos(0)).isZero();
        assertThat(AbsSendTime.fromNanos(1_000_000_000L)).isEqualTo(1 << 18);
        assertThat(AbsSendTime.fromNanos(1_500_000_000L)).isEqualTo(1 << 18 | 1 << 17);
        assertThat(AbsSendTime.fromNanos(63_999_999_999L)).isEqualTo(0xFFFFFF);
        assertThat(AbsSendTime.fromNanos(64_000_000_000L)).as("wraps at 64 s").isZero();
        assertThat(AbsSendTime.fromNanos(3_600_000_000_000L + 250_000_000L)).as("an hour in: 3600 mod 64 = 16 s")
                .isEqualTo(16 << 18 | 1 << 16);
        // nanoTime may be negative: the value still steps forward with time.
        assertThat(AbsSendTime.fromNanos(-1_000_000_000L)).isEqualTo(63 << 18);
        assertThat(AbsSendTime.fromNanos(-500_000_000L)).isEqualTo(63 << 18 | 1 << 17);
    }

    @Test
    void blockIsTheOneByteProfileOneWordAndTheElement() {
        ByteBuf out = Unpooled.buffer();
        AbsSendTime.writeBlock(out, 3, 0x123456);
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("bede0001" + "32" + "123456");
        out.release();
    }

    @Test
    void aPacketWithTheBlockParsesWithItsHeaderLength() throws RtpException {
        ByteBuf p = Unpooled.buffer();
        RtpHeader.write(p, true, 96, 1, 2, 3);
        AbsSendTime.writeBlock(p, 2, 7);
        RtpHeader.setExtension(p, true);
        p.writeBytes(new byte[] {9, 9});
        assertThat(RtpHeader.headerLength(p)).isEqualTo(RtpHeader.FIXED_LENGTH + AbsSendTime.BLOCK_LENGTH);
        assertThat(RtpHeader.payloadLength(p)).isEqualTo(2);
        assertThat(RtpHeader.marker(p)).isTrue();
        assertThat(RtpHeader.payloadType(p)).isEqualTo(96);
        p.release();
    }
}
