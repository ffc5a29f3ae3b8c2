package io.meshlive.media;

import io.meshlive.media.avc.AvcDecoderConfig;
import io.meshlive.media.avc.AvcSps;
import io.meshlive.media.hevc.HevcDecoderConfig;

/** The coded picture size, read from the SPS inside a video config record (H.264 or HEVC). */
public record VideoSize(int width, int height) {
    /**
     * The size {@code config}'s first SPS codes, its buffer indices left alone.
     *
     * @throws UnsupportedCodecException for a codec whose config record is not read here
     * @throws MediaFormatException when the record or its SPS is malformed
     */
    public static VideoSize of(Frame config) {
        return switch (config.codec()) {
            case H264 -> {
                AvcDecoderConfig avc = AvcDecoderConfig.parse(config.payload().duplicate());
                if (avc.sps().isEmpty()) {
                    throw new MediaFormatException("AVC config record has no SPS");
                }
                AvcSps sps = AvcSps.parse(avc.sps().get(0));
                yield new VideoSize(sps.width(), sps.height());
            }
            case HEVC -> {
                HevcDecoderConfig hevc = HevcDecoderConfig.parse(config.payload().duplicate());
                yield new VideoSize(hevc.width(), hevc.height());
            }
            default -> throw new UnsupportedCodecException("no video size reader for " + config.codec());
        };
    }
}
