package io.meshlive.cluster.relay;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.WallClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The relay FRAME bytes, pinned, and read back. */
class RelayFrameFormatTest {
    private static final long ARRIVAL_NANOS = 5_000_000_000L;

    private static Frame keyframe() {
        Frame f = Frame.relayed(Codec.H264, 1_000_000, 1_040_000, true, false,
                Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 2, 0x65, (byte) 0x88}),
                ARRIVAL_NANOS, 0x0102030405060708L, 3, 42);
        return f;
    }

    @Test
    void aFrameIsEncodedAsItsSequenceTimesCodecFlagsAndPayload() {
        Frame f = keyframe();
        try {
            ByteBuf body = f.encoded(RelayFrameFormat.INSTANCE, PooledByteBufAllocator.DEFAULT);
            String sent = String.format("%016x", WallClock.microsAt(ARRIVAL_NANOS));
            assertThat(ByteBufUtil.hexDump(body)).isEqualTo(
                    "0000000000000003" // origin epoch 3
                            + "000000000000002a" // sequence 42
                            + "0102030405060708" // origin time, wall µs
                            + sent // arrival at this node, wall µs
                            + "00000000000f4240" // dts 1,000,000 µs
                            + "00000000000fde80" // pts 1,040,000 µs
                            + "00" // codec: H264 (ordinal 0)
                            + "01" // flags: keyframe
                            + "000000026588"); // payload
            ByteBuf header = RelayWire.frameHeader(PooledByteBufAllocator.DEFAULT, 7, body.readableBytes());
            try {
                // length (type + stream id + body), type FRAME, stream id 7
                assertThat(ByteBufUtil.hexDump(header)).isEqualTo("0000003d" + "07" + "00000007");
            } finally {
                header.release();
            }
            // Encoded once: a second downstream gets the very same bytes.
            assertThat(f.encoded(RelayFrameFormat.INSTANCE, PooledByteBufAllocator.DEFAULT)).isSameAs(body);
        } finally {
            f.release();
        }
    }

    @Test
    void theReaderGivesBackTheFrameWithItsOriginTimeAndSequence() {
        Frame f = keyframe();
        try {
            ByteBuf body = f.encoded(RelayFrameFormat.INSTANCE, PooledByteBufAllocator.DEFAULT).duplicate();
            Frame back = RelayFrameReader.read(body, 77, 500);
            try {
                assertThat(back.codec()).isEqualTo(Codec.H264);
                assertThat(back.isVideoKeyframe()).isTrue();
                assertThat(back.isConfig()).isFalse();
                assertThat(back.dts()).isEqualTo(1_000_500);
                assertThat(back.pts()).isEqualTo(1_040_500);
                assertThat(back.originMicros()).isEqualTo(0x0102030405060708L);
                assertThat(back.epoch()).isEqualTo(3);
                assertThat(back.sequence()).isEqualTo(42);
                assertThat(back.arrivalNanos()).isEqualTo(77);
                assertThat(ByteBufUtil.hexDump(back.payload())).isEqualTo("000000026588");
            } finally {
                back.release();
            }
        } finally {
            f.release();
        }
    }

    @Test
    void badFrameBodiesAreProtocolErrors() {
        ByteBuf shortBody = Unpooled.wrappedBuffer(new byte[RelayFrameFormat.FIXED - 1]);
        assertThatThrownBy(() -> RelayFrameReader.read(shortBody, 0, 0)).isInstanceOf(RelayProtocolException.class);
        byte[] badCodec = new byte[RelayFrameFormat.FIXED];
        badCodec[48] = (byte) 200;
        assertThatThrownBy(() -> RelayFrameReader.read(Unpooled.wrappedBuffer(badCodec), 0, 0))
                .isInstanceOf(RelayProtocolException.class).hasMessageContaining("codec");
        byte[] badFlags = new byte[RelayFrameFormat.FIXED];
        badFlags[49] = 4;
        assertThatThrownBy(() -> RelayFrameReader.read(Unpooled.wrappedBuffer(badFlags), 0, 0))
                .isInstanceOf(RelayProtocolException.class).hasMessageContaining("flags");
    }
}
