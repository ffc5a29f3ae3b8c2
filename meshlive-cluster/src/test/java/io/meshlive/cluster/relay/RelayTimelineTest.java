package io.meshlive.cluster.relay;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a relay passes on across re-routes and new publishes, over real FRAME bodies. */
class RelayTimelineTest {

    /** Offers one frame the way {@link RelaySource} does; returns whether it was passed on. */
    private static boolean offer(RelayTimeline t, Codec codec, boolean config, long epoch, long sequence, long dts) {
        Frame f = Frame.relayed(codec, dts, dts, !config && codec == Codec.H264, config,
                Unpooled.wrappedBuffer(new byte[] {1, 2, 3}), 1_000, 0, epoch, sequence);
        try {
            ByteBuf body = f.encoded(RelayFrameFormat.INSTANCE, PooledByteBufAllocator.DEFAULT).duplicate();
            if (!t.isNew(RelayFrameReader.epoch(body), RelayFrameReader.sequence(body), RelayFrameReader.isConfig(body), body)) {
                return false;
            }
            t.spliceAt(RelayFrameReader.dts(body));
            t.passedOn(sequence, config, RelayFrameReader.track(body), dts + t.dtsOffset());
            return true;
        } finally {
            f.release();
        }
    }

    @Test
    void aReRouteThatReplaysTheNewParentsBufferPassesNothingOnTwice() {
        RelayTimeline t = new RelayTimeline();
        assertThat(t.epoch()).isEqualTo(-1);
        assertThat(t.resumeFrom()).isEqualTo(-1); // nothing yet: start at the keyframe
        for (long seq = 1; seq <= 3; seq++) {
            assertThat(offer(t, Codec.H264, false, 3, seq, seq * 40_000)).isTrue();
        }
        assertThat(t.resumeFrom()).isEqualTo(4);
        assertThat(offer(t, Codec.H264, false, 3, 2, 80_000)).isFalse();
        assertThat(offer(t, Codec.H264, false, 3, 3, 120_000)).isFalse();
        assertThat(offer(t, Codec.H264, false, 3, 4, 160_000)).isTrue();
        assertThat(t.epoch()).isEqualTo(3);
        assertThat(t.resumeFrom()).isEqualTo(5);
        assertThat(t.dtsOffset()).isZero();
    }

    @Test
    void configRecordsAreCountedPerTrack() {
        RelayTimeline t = new RelayTimeline();
        assertThat(offer(t, Codec.H264, true, 1, 1, 0)).isTrue();
        assertThat(offer(t, Codec.AAC, true, 1, 1, 0)).isTrue(); // the audio track's own count
        assertThat(offer(t, Codec.H264, true, 1, 1, 0)).isFalse();
        assertThat(t.resumeFrom()).isEqualTo(-1); // config records do not move the resume point
    }

    @Test
    void anOlderPublishIsDroppedAndTheNextOneContinuesTheTimestamps() {
        RelayTimeline t = new RelayTimeline();
        assertThat(offer(t, Codec.H264, false, 3, 1, 1_000_000)).isTrue();
        assertThat(t.dtsOffset()).isZero(); // the first publish is not a splice
        assertThat(offer(t, Codec.H264, false, 3, 2, 1_040_000)).isTrue();
        assertThat(offer(t, Codec.H264, false, 2, 9, 5_000_000)).isFalse(); // a parent that lags
        assertThat(offer(t, Codec.H264, false, 4, 1, 0)).isTrue();
        assertThat(t.epoch()).isEqualTo(4);
        assertThat(t.dtsOffset()).isEqualTo(1_040_000 + 40_000); // 40 ms after the old publish's last frame
        assertThat(t.spliceAt(40_000)).isFalse(); // once per publish
        assertThat(offer(t, Codec.H264, false, 4, 2, 40_000)).isTrue();
        assertThat(t.dtsOffset()).isEqualTo(1_080_000);
        assertThat(t.resumeFrom()).isEqualTo(3);
    }
}
