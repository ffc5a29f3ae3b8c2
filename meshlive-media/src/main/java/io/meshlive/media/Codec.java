package io.meshlive.media;

/**
 * Codecs the hub carries. The payload layout per codec is fixed so every packager can rely on it:
 * <ul>
 *   <li>H264, HEVC: length-prefixed NAL units (4-byte lengths, as in avcC/hvcC); the config frame
 *       is the AVCDecoderConfigurationRecord / HEVCDecoderConfigurationRecord.</li>
 *   <li>AV1: OBUs as in ISOBMFF (config frame: AV1CodecConfigurationRecord).</li>
 *   <li>VP9: one frame (config frame: VPCodecConfigurationRecord).</li>
 *   <li>AAC: a raw access unit, no ADTS (config frame: AudioSpecificConfig).</li>
 *   <li>OPUS: one Opus packet (config frame: OpusHead / dOps body).</li>
 *   <li>MP3, PCMA, PCMU: raw frames, no config.</li>
 *   <li>AMF0: a script-data message such as {@code "onMetaData", {...}}.</li>
 *   <li>CUE: a timed cue in {@link io.meshlive.media.cue.Cue}'s binary form; dts = pts = the pts of
 *       the video frame it belongs to.</li>
 * </ul>
 */
public enum Codec {
    H264(TrackType.VIDEO, "h264"),
    HEVC(TrackType.VIDEO, "hevc"),
    AV1(TrackType.VIDEO, "av1"),
    VP9(TrackType.VIDEO, "vp9"),
    AAC(TrackType.AUDIO, "aac"),
    OPUS(TrackType.AUDIO, "opus"),
    MP3(TrackType.AUDIO, "mp3"),
    PCMA(TrackType.AUDIO, "pcm_alaw"),
    PCMU(TrackType.AUDIO, "pcm_mulaw"),
    AMF0(TrackType.DATA, "amf0"),
    CUE(TrackType.DATA, "cue");

    private final TrackType track;
    private final String displayName;

    Codec(TrackType track, String displayName) {
        this.track = track;
        this.displayName = displayName;
    }

    public TrackType track() {
        return track;
    }

    /** The name ffprobe prints for this codec. */
    public String displayName() {
        return displayName;
    }
}
