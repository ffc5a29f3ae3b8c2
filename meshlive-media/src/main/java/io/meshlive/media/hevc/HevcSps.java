package io.meshlive.media.hevc;

import io.meshlive.media.BitReader;
import io.meshlive.media.MediaFormatException;

/**
 * The start of an HEVC sequence parameter set (ITU-T H.265 7.3.2.2): general profile and level,
 * chroma format, and the displayed size, i.e. the luma size minus the conformance window.
 */
public record HevcSps(int profileIdc, int levelIdc, int chromaFormatIdc, int width, int height) {
    private static final String WHAT = "HEVC SPS";
    private static final int NAL_TYPE_SPS = 33;
    private static final int MAX_SUB_LAYERS = 7;
    /** general_profile_compatibility_flag[32], four source flags and 43 + 1 reserved or constraint bits. */
    private static final int PROFILE_FLAGS_BITS = 32 + 4 + 43 + 1;
    /** The largest size an MP4 or FLV header can describe; anything beyond is a corrupt SPS. */
    private static final long MAX_DIMENSION = 0xFFFF;

    /** Parses an SPS NAL unit, its two header bytes included, as carried in hvcC. */
    public static HevcSps parse(byte[] nalWithHeader) {
        if (nalWithHeader.length > 0 && (nalWithHeader[0] >> 1 & 0x3F) != NAL_TYPE_SPS) {
            throw new MediaFormatException(WHAT + ": NAL unit type " + (nalWithHeader[0] >> 1 & 0x3F) + ", expected 33");
        }
        BitReader r = BitReader.rbsp(WHAT, nalWithHeader, 2);
        r.skip(4); // sps_video_parameter_set_id
        int maxSubLayersMinus1 = r.u(3);
        if (maxSubLayersMinus1 >= MAX_SUB_LAYERS) {
            throw new MediaFormatException(WHAT + ": sps_max_sub_layers_minus1 " + maxSubLayersMinus1 + " above 6");
        }
        r.skip(1); // sps_temporal_id_nesting_flag
        r.skip(3); // general_profile_space, general_tier_flag
        int profileIdc = r.u(5);
        r.skip(PROFILE_FLAGS_BITS);
        int levelIdc = r.u(8);
        skipSubLayers(r, maxSubLayersMinus1);
        int spsId = r.ue();
        if (spsId > 15) {
            throw new MediaFormatException(WHAT + ": sps_seq_parameter_set_id " + spsId + " above 15");
        }
        int chromaFormatIdc = r.ue();
        if (chromaFormatIdc > 3) {
            throw new MediaFormatException(WHAT + ": chroma_format_idc " + chromaFormatIdc + " above 3");
        }
        boolean separateColourPlanes = chromaFormatIdc == 3 && r.flag();
        long lumaWidth = r.ue();
        long lumaHeight = r.ue();
        long cropX = 0;
        long cropY = 0;
        if (r.flag()) { // conformance_window_flag
            // Table 6-1: the window counts chroma samples; a separate-plane 4:4:4 stream has none.
            int chromaArrayType = separateColourPlanes ? 0 : chromaFormatIdc;
            int subWidth = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
            int subHeight = chromaArrayType == 1 ? 2 : 1;
            cropX = subWidth * ((long) r.ue() + r.ue());
            cropY = subHeight * ((long) r.ue() + r.ue());
        }
        long width = lumaWidth - cropX;
        long height = lumaHeight - cropY;
        if (lumaWidth > MAX_DIMENSION || lumaHeight > MAX_DIMENSION || width <= 0 || height <= 0) {
            throw new MediaFormatException(WHAT + ": implausible size " + width + "x" + height
                    + " (luma " + lumaWidth + "x" + lumaHeight + ")");
        }
        return new HevcSps(profileIdc, levelIdc, chromaFormatIdc, (int) width, (int) height);
    }

    /**
     * The sub-layer part of profile_tier_level() (7.3.3): presence flags, padded to eight
     * sub-layers, then a profile and/or a level for each sub-layer that has one.
     */
    private static void skipSubLayers(BitReader r, int maxSubLayersMinus1) {
        boolean[] profilePresent = new boolean[maxSubLayersMinus1];
        boolean[] levelPresent = new boolean[maxSubLayersMinus1];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            profilePresent[i] = r.flag();
            levelPresent[i] = r.flag();
        }
        if (maxSubLayersMinus1 > 0) {
            r.skip(2L * (8 - maxSubLayersMinus1)); // reserved_zero_2bits
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            if (profilePresent[i]) {
                r.skip(2 + 1 + 5 + PROFILE_FLAGS_BITS);
            }
            if (levelPresent[i]) {
                r.skip(8);
            }
        }
    }
}
