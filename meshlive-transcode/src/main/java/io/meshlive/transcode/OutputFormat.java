package io.meshlive.transcode;

import io.meshlive.media.Codec;

import java.util.Map;

import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLTP;

/** What a transcoder encodes to: the avcodec encoder, its sample format and the options we set. */
enum OutputFormat {
    /**
     * libopus, 20 ms frames. Application "lowdelay" is OPUS_APPLICATION_RESTRICTED_LOWDELAY: CELT
     * only, 2.5 ms look-ahead instead of 6.5 ms. In-band FEC is on as asked, but it rides on SILK
     * frames, which CELT-only never makes: it starts to count only with application voip or audio
     * (+4 ms). What does count in CELT is packet_loss, the expected loss in percent: the encoder
     * leans less on the previous frame, so a lost packet hurts fewer that follow.
     */
    OPUS(Codec.OPUS, "libopus", 64_000, AV_SAMPLE_FMT_FLT,
            Map.of("application", "lowdelay", "frame_duration", "20", "fec", "1", "packet_loss", "10")),
    /** FFmpeg's native AAC-LC encoder (the LGPL build has no libfdk). */
    AAC(Codec.AAC, "aac", 128_000, AV_SAMPLE_FMT_FLTP, Map.of());

    static final int SAMPLE_RATE = 48_000;

    private final Codec codec;
    private final String encoder;
    private final long bitRate;
    private final int sampleFormat;
    private final Map<String, String> options;

    OutputFormat(Codec codec, String encoder, long bitRate, int sampleFormat, Map<String, String> options) {
        this.codec = codec;
        this.encoder = encoder;
        this.bitRate = bitRate;
        this.sampleFormat = sampleFormat;
        this.options = options;
    }

    Codec codec() {
        return codec;
    }

    String encoder() {
        return encoder;
    }

    long bitRate() {
        return bitRate;
    }

    int sampleFormat() {
        return sampleFormat;
    }

    Map<String, String> options() {
        return options;
    }
}
