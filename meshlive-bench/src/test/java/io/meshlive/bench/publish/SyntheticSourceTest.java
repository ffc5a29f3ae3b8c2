package io.meshlive.bench.publish;

import io.meshlive.bench.wire.FlvMedia;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

class SyntheticSourceTest {
    private final SyntheticStream spec = new SyntheticStream(2_000_000, 30, 60, new VideoSize(1280, 720));

    @Test
    void startsWithMetadataAndBothSequenceHeaders() {
        SyntheticSource source = new SyntheticSource(UnpooledByteBufAllocator.DEFAULT, spec);
        MediaTag metadata = source.next();
        MediaTag video = source.next();
        MediaTag audio = source.next();
        try {
            assertThat(metadata.type()).isEqualTo(MediaTag.DATA);
            assertThat(ScriptData.isOnMetaData(metadata.body())).isTrue();
            assertThat(video.type()).isEqualTo(MediaTag.VIDEO);
            assertThat(video.first()).isEqualTo(0x17);
            assertThat(video.second()).as("AVC sequence header").isEqualTo(0);
            assertThat(audio.type()).isEqualTo(MediaTag.AUDIO);
            assertThat(audio.second()).as("AAC sequence header").isEqualTo(0);
        } finally {
            metadata.body().release();
            video.body().release();
            audio.body().release();
        }
    }

    @Test
    void tenSecondsHitTheBitRateWithAKeyframeEveryGopAndAudioEvery1024Samples() {
        SyntheticSource source = new SyntheticSource(UnpooledByteBufAllocator.DEFAULT, spec);
        long videoBytes = 0;
        int pictures = 0;
        int keyframes = 0;
        int audioFrames = 0;
        long lastTimestamp = 0;
        while (true) {
            MediaTag tag = source.next();
            try {
                if (tag.timestamp() >= 10_000) {
                    break;
                }
                assertThat(tag.timestamp()).isGreaterThanOrEqualTo(lastTimestamp);
                lastTimestamp = tag.timestamp();
                if (tag.type() == MediaTag.VIDEO && FlvMedia.isVideoFrame(tag.first(), tag.second())) {
                    pictures++;
                    keyframes += tag.first() == 0x17 ? 1 : 0;
                    videoBytes += tag.body().readableBytes();
                    int nalLength = tag.body().getInt(tag.body().readerIndex() + 5);
                    assertThat(nalLength).as("one NAL unit filling the body").isEqualTo(tag.body().readableBytes() - 9);
                } else if (tag.type() == MediaTag.AUDIO && FlvMedia.isAudioFrame(tag.first(), tag.second())) {
                    audioFrames++;
                }
            } finally {
                tag.body().release();
            }
        }
        assertThat(pictures).isEqualTo(300);
        assertThat(keyframes).isEqualTo(5);
        assertThat(audioFrames).isEqualTo(431); // 10 s * 44100 / 1024, rounded up: the first frame is at 0
        assertThat(videoBytes * 8 / 10.0).isCloseTo(2_000_000, withPercentage(1));
    }
}
