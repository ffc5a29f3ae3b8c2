package io.meshlive.media.avc;

import io.meshlive.media.BitReader;
import io.meshlive.media.MediaFormatException;

/**
 * What stream statistics and packagers need from an H.264 sequence parameter set (ITU-T H.264
 * 7.3.2.1.1): profile, level, chroma format, the displayed size after frame cropping, and the
 * frame rate from the VUI timing info, or 0 when the encoder did not send one.
 */
public record AvcSps(int profileIdc, int levelIdc, int chromaFormatIdc, int width, int height, double frameRate) {
    private static final String WHAT = "AVC SPS";
    private static final int NAL_TYPE_SPS = 7;
    private static final int EXTENDED_SAR = 255;
    /** The largest size an MP4 or FLV header can describe; anything beyond is a corrupt SPS. */
    private static final long MAX_DIMENSION = 0xFFFF;

    /** Parses an SPS NAL unit, header byte included, as carried in avcC. */
    public static AvcSps parse(byte[] nalWithHeader) {
        if (nalWithHeader.length > 0 && (nalWithHeader[0] & 0x1F) != NAL_TYPE_SPS) {
            throw new MediaFormatException(WHAT + ": NAL unit type " + (nalWithHeader[0] & 0x1F) + ", expected 7");
        }
        BitReader r = BitReader.rbsp(WHAT, nalWithHeader, 1);
        int profileIdc = r.u(8);
        r.skip(8); // constraint_set flags
        int levelIdc = r.u(8);
        ueAtMost(r, 31, "seq_parameter_set_id");
        int chromaFormatIdc = 1;
        boolean separateColourPlanes = false;
        if (hasChromaInfo(profileIdc)) {
            chromaFormatIdc = ueAtMost(r, 3, "chroma_format_idc");
            if (chromaFormatIdc == 3) {
                separateColourPlanes = r.flag();
            }
            ueAtMost(r, 6, "bit_depth_luma_minus8");
            ueAtMost(r, 6, "bit_depth_chroma_minus8");
            r.skip(1); // qpprime_y_zero_transform_bypass_flag
            if (r.flag()) {
                skipScalingMatrix(r, chromaFormatIdc == 3 ? 12 : 8);
            }
        }
        ueAtMost(r, 12, "log2_max_frame_num_minus4");
        int picOrderCntType = ueAtMost(r, 2, "pic_order_cnt_type");
        if (picOrderCntType == 0) {
            ueAtMost(r, 12, "log2_max_pic_order_cnt_lsb_minus4");
        } else if (picOrderCntType == 1) {
            r.skip(1); // delta_pic_order_always_zero_flag
            r.se(); // offset_for_non_ref_pic
            r.se(); // offset_for_top_to_bottom_field
            int cycle = ueAtMost(r, 255, "num_ref_frames_in_pic_order_cnt_cycle");
            for (int i = 0; i < cycle; i++) {
                r.se();
            }
        }
        r.ue(); // max_num_ref_frames
        r.skip(1); // gaps_in_frame_num_value_allowed_flag
        long widthInMbs = r.ue() + 1L;
        long heightInMapUnits = r.ue() + 1L;
        boolean frameMbsOnly = r.flag();
        if (!frameMbsOnly) {
            r.skip(1); // mb_adaptive_frame_field_flag
        }
        r.skip(1); // direct_8x8_inference_flag
        long cropLeft = 0, cropRight = 0, cropTop = 0, cropBottom = 0;
        if (r.flag()) {
            cropLeft = r.ue();
            cropRight = r.ue();
            cropTop = r.ue();
            cropBottom = r.ue();
        }
        // Table 6-1 and equations 7-19..7-22: cropping counts chroma samples, and field pairs when interlaced.
        int chromaArrayType = separateColourPlanes ? 0 : chromaFormatIdc;
        int cropUnitX = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
        int cropUnitY = (chromaArrayType == 1 ? 2 : 1) * (frameMbsOnly ? 1 : 2);
        long codedWidth = widthInMbs * 16;
        long codedHeight = heightInMapUnits * 16 * (frameMbsOnly ? 1 : 2);
        long width = codedWidth - cropUnitX * (cropLeft + cropRight);
        long height = codedHeight - cropUnitY * (cropTop + cropBottom);
        if (codedWidth > MAX_DIMENSION || codedHeight > MAX_DIMENSION || width <= 0 || height <= 0) {
            throw new MediaFormatException(WHAT + ": implausible size " + width + "x" + height
                    + " (coded " + codedWidth + "x" + codedHeight + ")");
        }
        double frameRate = r.flag() ? vuiFrameRate(r) : 0;
        return new AvcSps(profileIdc, levelIdc, chromaFormatIdc, (int) width, (int) height, frameRate);
    }

    /** The High profiles and their relatives carry chroma format, bit depth and scaling matrices. */
    private static boolean hasChromaInfo(int profileIdc) {
        return switch (profileIdc) {
            case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135 -> true;
            default -> false;
        };
    }

    private static void skipScalingMatrix(BitReader r, int lists) {
        for (int i = 0; i < lists; i++) {
            if (r.flag()) {
                skipScalingList(r, i < 6 ? 16 : 64);
            }
        }
    }

    /** 7.3.2.1.1.1: a delta-coded list that may stop early once a delta makes the next scale 0. */
    private static void skipScalingList(BitReader r, int size) {
        int lastScale = 8;
        int nextScale = 8;
        for (int j = 0; j < size && nextScale != 0; j++) {
            int delta = r.se();
            if (delta < -128 || delta > 127) {
                throw new MediaFormatException(WHAT + ": delta_scale " + delta + " out of range");
            }
            nextScale = (lastScale + delta + 256) % 256;
            lastScale = nextScale == 0 ? lastScale : nextScale;
        }
    }

    /** Annex E.1.1, up to timing_info: only the fields in front of it need reading. */
    private static double vuiFrameRate(BitReader r) {
        if (r.flag()) { // aspect_ratio_info_present_flag
            if (r.u(8) == EXTENDED_SAR) {
                r.skip(32); // sar_width, sar_height
            }
        }
        if (r.flag()) { // overscan_info_present_flag
            r.skip(1);
        }
        if (r.flag()) { // video_signal_type_present_flag
            r.skip(4); // video_format, video_full_range_flag
            if (r.flag()) {
                r.skip(24); // colour_primaries, transfer_characteristics, matrix_coefficients
            }
        }
        if (r.flag()) { // chroma_loc_info_present_flag
            r.ue();
            r.ue();
        }
        if (!r.flag()) { // timing_info_present_flag
            return 0;
        }
        long numUnitsInTick = r.u32();
        long timeScale = r.u32();
        // A frame lasts two ticks: H.264 counts field periods.
        return numUnitsInTick == 0 ? 0 : timeScale / (2.0 * numUnitsInTick);
    }

    private static int ueAtMost(BitReader r, int max, String field) {
        int value = r.ue();
        if (value > max) {
            throw new MediaFormatException(WHAT + ": " + field + " " + value + " above " + max);
        }
        return value;
    }
}
