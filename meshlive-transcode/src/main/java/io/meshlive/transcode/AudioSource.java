package io.meshlive.transcode;

import io.meshlive.media.Codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MP3;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_OPUS;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PCM_ALAW;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PCM_MULAW;

/**
 * The audio codecs the hub carries that we can decode, with what their decoder needs: AAC waits
 * for its AudioSpecificConfig; the others open on their first frame, with the rate and channels
 * their streams have when nothing says otherwise (Opus without an OpusHead is what WebRTC sends,
 * and RFC 7587 fixes it at 48 kHz stereo; G.711 in FLV is 8 kHz mono; MP3 frames carry their own
 * headers).
 */
enum AudioSource {
    AAC(Codec.AAC, AV_CODEC_ID_AAC, true, 48_000, 2),
    OPUS(Codec.OPUS, AV_CODEC_ID_OPUS, false, 48_000, 2),
    MP3(Codec.MP3, AV_CODEC_ID_MP3, false, 44_100, 2),
    PCMA(Codec.PCMA, AV_CODEC_ID_PCM_ALAW, false, 8_000, 1),
    PCMU(Codec.PCMU, AV_CODEC_ID_PCM_MULAW, false, 8_000, 1);

    final Codec codec;
    final int codecId;
    final boolean needsConfig;
    final int defaultRate;
    final int defaultChannels;

    AudioSource(Codec codec, int codecId, boolean needsConfig, int defaultRate, int defaultChannels) {
        this.codec = codec;
        this.codecId = codecId;
        this.needsConfig = needsConfig;
        this.defaultRate = defaultRate;
        this.defaultChannels = defaultChannels;
    }

    /** The source for {@code codec}, or null when we cannot decode it. */
    static AudioSource of(Codec codec) {
        for (AudioSource s : values()) {
            if (s.codec == codec) {
                return s;
            }
        }
        return null;
    }
}
