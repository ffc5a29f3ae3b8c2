package io.meshlive.webrtc.sdp;

import io.meshlive.media.Codec;

import java.util.Objects;

/**
 * A video stream's codec and its profile, constraint flags and level as its parameter sets carry
 * them: for H.264 the SPS's profile_idc, constraint_set flags byte and level_idc (what the
 * profile-level-id fmtp parameter encodes); for HEVC general_profile_idc, 0, general_level_idc.
 */
public record StreamVideo(Codec codec, int profileIdc, int constraintFlags, int levelIdc) {
    public StreamVideo {
        Objects.requireNonNull(codec, "codec");
        if (codec != Codec.H264 && codec != Codec.HEVC) {
            throw new IllegalArgumentException("WebRTC video is H264 or HEVC here, not " + codec);
        }
        if ((profileIdc & ~0xFF) != 0 || (constraintFlags & ~0xFF) != 0 || (levelIdc & ~0xFF) != 0) {
            throw new IllegalArgumentException("profile, constraint flags and level are bytes");
        }
    }
}
