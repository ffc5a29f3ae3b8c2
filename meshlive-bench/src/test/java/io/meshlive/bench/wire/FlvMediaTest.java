package io.meshlive.bench.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FlvMediaTest {
    @Test
    void tellsAvcAndHevcPicturesFromTheirHeaders() {
        assertThat(FlvMedia.isVideoFrame(0x17, 0)).as("AVC sequence header").isFalse();
        assertThat(FlvMedia.isVideoFrame(0x17, 1)).as("AVC keyframe").isTrue();
        assertThat(FlvMedia.isVideoFrame(0x27, 1)).as("AVC inter frame").isTrue();
        assertThat(FlvMedia.isVideoFrame(0x17, 2)).as("AVC end of sequence").isFalse();
        assertThat(FlvMedia.isVideoFrame(0x1C, 0)).as("legacy HEVC sequence header").isFalse();
        assertThat(FlvMedia.isVideoFrame(0x2C, 1)).as("legacy HEVC frame").isTrue();
        assertThat(FlvMedia.isVideoFrame(0x52, 0)).as("command frame").isFalse();
        assertThat(FlvMedia.isVideoFrame(0x22, -1)).as("Sorenson H.263 has no packet type").isTrue();
        assertThat(FlvMedia.isVideoFrame(-1, -1)).as("empty body").isFalse();
    }

    @Test
    void tellsEnhancedRtmpPicturesFromTheirHeaders() {
        assertThat(FlvMedia.isVideoFrame(0x90, 'h')).as("SequenceStart").isFalse();
        assertThat(FlvMedia.isVideoFrame(0x91, 'h')).as("CodedFrames, key").isTrue();
        assertThat(FlvMedia.isVideoFrame(0xA3, 'h')).as("CodedFramesX, inter").isTrue();
        assertThat(FlvMedia.isVideoFrame(0x92, 'h')).as("SequenceEnd").isFalse();
        assertThat(FlvMedia.isVideoFrame(0xD4, 'h')).as("Metadata in a command frame").isFalse();
    }

    @Test
    void tellsAudioFramesFromSequenceHeaders() {
        assertThat(FlvMedia.isAudioFrame(0xAF, 0)).as("AAC sequence header").isFalse();
        assertThat(FlvMedia.isAudioFrame(0xAF, 1)).as("AAC raw").isTrue();
        assertThat(FlvMedia.isAudioFrame(0x2F, 0xFF)).as("MP3").isTrue();
        assertThat(FlvMedia.isAudioFrame(0x90, 'O')).as("enhanced SequenceStart").isFalse();
        assertThat(FlvMedia.isAudioFrame(0x91, 'O')).as("enhanced CodedFrames").isTrue();
    }
}
