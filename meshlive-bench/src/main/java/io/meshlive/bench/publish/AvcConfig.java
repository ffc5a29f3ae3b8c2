package io.meshlive.bench.publish;

import io.meshlive.media.avc.AvcDecoderConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;

/**
 * An AVCDecoderConfigurationRecord with a real SPS and PPS for a picture size: Constrained
 * Baseline, CAVLC, one reference frame, the lowest level that fits the size and rate. Players and
 * servers parse it for size and profile; what follows it need not decode.
 */
final class AvcConfig {
    private static final int PROFILE_BASELINE = 66;
    /** constraint_set0 and constraint_set1: Constrained Baseline. */
    private static final int CONSTRAINTS = 0xC0;
    /** Level idc with its largest frame (macroblocks) and rate (macroblocks per second), Table A-1. */
    private static final int[][] LEVELS = {
            {30, 1620, 40500}, {31, 3600, 108000}, {32, 5120, 216000}, {40, 8192, 245760}, {42, 8704, 522240},
            {50, 22080, 589824}, {51, 36864, 983040}, {52, 36864, 2073600}};

    private AvcConfig() {
    }

    static byte[] record(VideoSize size, int fps) {
        ByteBuf out = Unpooled.buffer(64);
        AvcDecoderConfig.write(sps(size, fps), pps(), out);
        return ByteBufUtil.getBytes(out);
    }

    /** The SPS NAL unit, header byte included. */
    static byte[] sps(VideoSize size, int fps) {
        int mbWidth = (size.width() + 15) / 16;
        int mbHeight = (size.height() + 15) / 16;
        BitWriter w = new BitWriter()
                .bits(8, PROFILE_BASELINE).bits(8, CONSTRAINTS).bits(8, level(mbWidth * mbHeight, fps))
                .ue(0) // seq_parameter_set_id
                .ue(0) // log2_max_frame_num_minus4
                .ue(2) // pic_order_cnt_type 2: output order is decode order, no B-frames
                .ue(1) // max_num_ref_frames
                .bits(1, 0) // gaps_in_frame_num_value_allowed_flag
                .ue(mbWidth - 1)
                .ue(mbHeight - 1)
                .bits(1, 1) // frame_mbs_only_flag
                .bits(1, 1); // direct_8x8_inference_flag
        int cropRight = mbWidth * 16 - size.width();
        int cropBottom = mbHeight * 16 - size.height();
        if (cropRight > 0 || cropBottom > 0) {
            // Crop units are two luma samples in 4:2:0 frames.
            w.bits(1, 1).ue(0).ue(cropRight / 2).ue(0).ue(cropBottom / 2);
        } else {
            w.bits(1, 0);
        }
        w.bits(1, 0); // vui_parameters_present_flag
        return nal(0x67, w.finish());
    }

    /** The PPS NAL unit, header byte included. */
    static byte[] pps() {
        BitWriter w = new BitWriter()
                .ue(0) // pic_parameter_set_id
                .ue(0) // seq_parameter_set_id
                .bits(1, 0) // entropy_coding_mode_flag: CAVLC
                .bits(1, 0) // bottom_field_pic_order_in_frame_present_flag
                .ue(0) // num_slice_groups_minus1
                .ue(0) // num_ref_idx_l0_default_active_minus1
                .ue(0) // num_ref_idx_l1_default_active_minus1
                .bits(1, 0) // weighted_pred_flag
                .bits(2, 0) // weighted_bipred_idc
                .ue(0) // pic_init_qp_minus26: se(0) is coded as ue(0)
                .ue(0) // pic_init_qs_minus26
                .ue(0) // chroma_qp_index_offset
                .bits(1, 1) // deblocking_filter_control_present_flag
                .bits(1, 0) // constrained_intra_pred_flag
                .bits(1, 0); // redundant_pic_cnt_present_flag
        return nal(0x68, w.finish());
    }

    private static int level(int frameMacroblocks, int fps) {
        for (int[] level : LEVELS) {
            if (frameMacroblocks <= level[1] && (long) frameMacroblocks * fps <= level[2]) {
                return level[0];
            }
        }
        return LEVELS[LEVELS.length - 1][0];
    }

    /** Header byte, then the RBSP with emulation prevention: a 3 after two zeros that precede a byte of 0-3. */
    private static byte[] nal(int header, byte[] rbsp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header);
        int zeros = 0;
        for (byte b : rbsp) {
            if (zeros == 2 && (b & 0xFF) <= 3) {
                out.write(3);
                zeros = 0;
            }
            out.write(b);
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return out.toByteArray();
    }
}
