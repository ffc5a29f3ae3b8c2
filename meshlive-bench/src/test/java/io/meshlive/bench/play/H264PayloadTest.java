package io.meshlive.bench.play;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class H264PayloadTest {
    /** A 640x360 Constrained Baseline SPS, as the bench's synthetic publisher makes it. */
    private static final byte[] SPS = io.meshlive.bench.publish.TestSps.sps640x360();

    /** The payload after a fake 12-byte RTP header and before 2 bytes of padding, as WhepMedia reads it. */
    private static ByteBuf packet(byte[] payload) {
        return Unpooled.buffer().writeZero(12).writeBytes(payload).writeZero(2);
    }

    private static boolean keyframe(byte[] payload) {
        ByteBuf p = packet(payload);
        return H264Payload.startsKeyframe(p, 12, p.writerIndex() - 2);
    }

    @Test
    void keyframesAreIdrSlicesFirstFragmentsOrAggregatesWithAnSpsOrIdr() {
        assertThat(keyframe(new byte[] {0x65, 1})).isTrue();
        assertThat(keyframe(new byte[] {0x41, 1})).isFalse();
        assertThat(keyframe(new byte[] {0x7C, (byte) 0x85, 1})).as("FU-A start of an IDR").isTrue();
        assertThat(keyframe(new byte[] {0x7C, 0x05, 1})).as("FU-A middle of an IDR").isFalse();
        assertThat(keyframe(new byte[] {0x7C})).as("truncated FU-A").isFalse();
        assertThat(keyframe(new byte[] {0x78, 0, 2, 0x06, 0, 0, 2, 0x65, 1})).as("STAP-A: SEI, IDR").isTrue();
        assertThat(keyframe(new byte[] {0x78, 0, 2, 0x06, 0, 0, 2, 0x41, 1})).isFalse();
        assertThat(keyframe(new byte[0])).isFalse();
    }

    @Test
    void theSpsIsFoundAloneOrAggregated() {
        ByteBuf alone = packet(SPS);
        assertThat(H264Payload.sps(alone, 12, alone.writerIndex() - 2).width()).isEqualTo(640);

        ByteBuf stap = Unpooled.buffer().writeByte(0x78).writeShort(SPS.length).writeBytes(SPS)
                .writeShort(4).writeBytes(new byte[] {0x68, (byte) 0xCE, 0x3C, (byte) 0x80});
        byte[] aggregate = new byte[stap.readableBytes()];
        stap.readBytes(aggregate);
        ByteBuf p = packet(aggregate);
        assertThat(H264Payload.sps(p, 12, p.writerIndex() - 2).height()).isEqualTo(360);
        assertThat(H264Payload.startsKeyframe(p, 12, p.writerIndex() - 2)).isTrue();

        ByteBuf slice = packet(new byte[] {0x65, 1});
        assertThat(H264Payload.sps(slice, 12, slice.writerIndex() - 2)).isNull();
        ByteBuf overrun = packet(new byte[] {0x78, 0, 50, 0x67, 1});
        assertThat(H264Payload.sps(overrun, 12, overrun.writerIndex() - 2)).as("aggregate past the payload").isNull();
    }
}
