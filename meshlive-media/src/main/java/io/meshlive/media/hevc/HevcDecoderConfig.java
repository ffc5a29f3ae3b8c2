package io.meshlive.media.hevc;

import io.meshlive.media.BitReader;
import io.meshlive.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.util.ArrayList;
import java.util.List;

/**
 * An HEVCDecoderConfigurationRecord (hvcC, ISO/IEC 14496-15 8.3.3.1), the payload of an HEVC
 * config frame, with the picture size read from its first SPS. Parameter sets are kept whole,
 * NAL header included; arrays of other NAL types (SEI) are skipped.
 */
public final class HevcDecoderConfig {
    private static final String WHAT = "HEVC decoder config";
    private static final int NAL_VPS = 32;
    private static final int NAL_SPS = 33;
    private static final int NAL_PPS = 34;

    private final int profileIdc;
    private final boolean highTier;
    private final int levelIdc;
    private final int nalLengthSize;
    private final List<byte[]> vps;
    private final List<byte[]> sps;
    private final List<byte[]> pps;
    private final HevcSps firstSps;

    private HevcDecoderConfig(int profileIdc, boolean highTier, int levelIdc, int nalLengthSize,
                              List<byte[]> vps, List<byte[]> sps, List<byte[]> pps, HevcSps firstSps) {
        this.profileIdc = profileIdc;
        this.highTier = highTier;
        this.levelIdc = levelIdc;
        this.nalLengthSize = nalLengthSize;
        this.vps = vps;
        this.sps = sps;
        this.pps = pps;
        this.firstSps = firstSps;
    }

    /** Parses the readable bytes of {@code record}, leaving its indices alone. */
    public static HevcDecoderConfig parse(ByteBuf record) {
        BitReader r = new BitReader(WHAT, ByteBufUtil.getBytes(record));
        int version = r.u(8);
        if (version != 1) {
            throw new MediaFormatException(WHAT + ": configurationVersion " + version + ", expected 1");
        }
        r.skip(2); // general_profile_space
        boolean highTier = r.flag();
        int profileIdc = r.u(5);
        r.skip(32 + 48); // general_profile_compatibility_flags, general_constraint_indicator_flags
        int levelIdc = r.u(8);
        // min_spatial_segmentation_idc, parallelismType, chromaFormat, bit depths, avgFrameRate,
        // constantFrameRate, numTemporalLayers, temporalIdNested: all repeated in the SPS.
        r.skip(16 + 8 + 8 + 8 + 8 + 16 + 2 + 3 + 1);
        int nalLengthSize = r.u(2) + 1;
        if (nalLengthSize == 3) {
            throw new MediaFormatException(WHAT + ": NAL length size 3 is not allowed (1, 2 or 4)");
        }
        List<byte[]> vps = new ArrayList<>();
        List<byte[]> sps = new ArrayList<>();
        List<byte[]> pps = new ArrayList<>();
        int arrays = r.u(8);
        for (int i = 0; i < arrays; i++) {
            r.skip(2); // array_completeness, reserved
            int type = r.u(6);
            List<byte[]> into = switch (type) {
                case NAL_VPS -> vps;
                case NAL_SPS -> sps;
                case NAL_PPS -> pps;
                default -> null;
            };
            int count = r.u(16);
            for (int j = 0; j < count; j++) {
                int length = r.u(16);
                if (into == null) {
                    r.skip(length * 8L);
                } else {
                    into.add(r.bytes(length));
                }
            }
        }
        if (sps.isEmpty()) {
            throw new MediaFormatException(WHAT + " has no SPS");
        }
        return new HevcDecoderConfig(profileIdc, highTier, levelIdc, nalLengthSize,
                List.copyOf(vps), List.copyOf(sps), List.copyOf(pps), HevcSps.parse(sps.get(0)));
    }

    /** general_profile_idc: 1 Main, 2 Main 10, 3 Main Still Picture, 4 range extensions... */
    public int profileIdc() {
        return profileIdc;
    }

    /** general_tier_flag. */
    public boolean highTier() {
        return highTier;
    }

    /** general_level_idc: thirty times the level number. */
    public int levelIdc() {
        return levelIdc;
    }

    /** Bytes in each NAL unit length prefix of the stream's frames: 1, 2 or 4. */
    public int nalLengthSize() {
        return nalLengthSize;
    }

    /** The video parameter sets, NAL header included. Read-only by contract. */
    public List<byte[]> vps() {
        return vps;
    }

    /** The sequence parameter sets, NAL header included. Read-only by contract. */
    public List<byte[]> sps() {
        return sps;
    }

    /** The picture parameter sets, NAL header included. Read-only by contract. */
    public List<byte[]> pps() {
        return pps;
    }

    /** Displayed width: the first SPS's pic_width_in_luma_samples minus its conformance window. */
    public int width() {
        return firstSps.width();
    }

    /** Displayed height: the first SPS's pic_height_in_luma_samples minus its conformance window. */
    public int height() {
        return firstSps.height();
    }
}
