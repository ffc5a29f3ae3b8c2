package io.meshlive.rtmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RtmpChunkWriterTest {
    @Test
    void firstChunkHasAFullHeaderAndTheRestOneByte() {
        byte[] payload = new byte[300];
        ByteBuf out = Unpooled.buffer();
        RtmpChunkWriter.write(out, 6, 9, 1, 1000, Unpooled.wrappedBuffer(payload), 128);
        assertThat(ByteBufUtil.hexDump(out, 0, 12)).isEqualTo("060003e800012c0901000000");
        assertThat(out.getUnsignedByte(12 + 128)).isEqualTo((short) 0xc6);
        assertThat(out.getUnsignedByte(12 + 128 + 1 + 128)).isEqualTo((short) 0xc6);
        assertThat(out.readableBytes()).isEqualTo(RtmpChunkWriter.encodedLength(6, 1000, 300, 128)).isEqualTo(12 + 300 + 2);
        out.release();
    }

    @Test
    void largeChunkStreamIdsUseTheLongForms() {
        ByteBuf out = Unpooled.buffer();
        RtmpChunkWriter.write(out, 100, 20, 0, 0, Unpooled.wrappedBuffer(new byte[] {1}), 128);
        RtmpChunkWriter.write(out, 1000, 20, 0, 0, Unpooled.wrappedBuffer(new byte[] {1}), 128);
        assertThat(ByteBufUtil.hexDump(out, 0, 2)).isEqualTo("0024");
        assertThat(ByteBufUtil.hexDump(out, 14, 3)).isEqualTo("01a803");
        out.release();
    }
}
