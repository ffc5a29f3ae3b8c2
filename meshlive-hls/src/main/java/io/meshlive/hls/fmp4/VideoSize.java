package io.meshlive.hls.fmp4;

import io.meshlive.media.Frame;
import io.meshlive.media.UnsupportedCodecException;
import io.meshlive.media.avc.AvcDecoderConfig;
import io.meshlive.media.avc.AvcSps;
import io.meshlive.media.hevc.HevcDecoderConfig;

/** The coded picture size, read from the SPS inside a video config record; tkhd and the sample entry both need it. */
record VideoSize(int width, int height) {
    static VideoSize of(Frame config) {
        return switch (config.codec()) {
            case H264 -> {
                AvcSps sps = AvcSps.parse(AvcDecoderConfig.parse(config.payload()).sps().get(0));
                yield new VideoSize(sps.width(), sps.height());
            }
            case HEVC -> {
                HevcDecoderConfig hevc = HevcDecoderConfig.parse(config.payload());
                yield new VideoSize(hevc.width(), hevc.height());
            }
            default -> throw new UnsupportedCodecException("no fMP4 video mapping for " + config.codec());
        };
    }
}
