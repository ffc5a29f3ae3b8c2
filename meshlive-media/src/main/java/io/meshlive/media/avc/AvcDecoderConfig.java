package io.meshlive.media.avc;

import io.meshlive.media.BitReader;
import io.meshlive.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.util.ArrayList;
import java.util.List;

/**
 * An AVCDecoderConfigurationRecord (avcC, ISO/IEC 14496-15 5.3.3.1), the payload of an H.264
 * config frame. The parameter sets are kept whole, header byte included; {@link AvcSps#parse}
 * reads the first SPS for the picture size.
 */
public final class AvcDecoderConfig {
    private static final String WHAT = "AVC decoder config";

    private final int profile;
    private final int compatibility;
    private final int level;
    private final int nalLengthSize;
    private final List<byte[]> sps;
    private final List<byte[]> pps;

    private AvcDecoderConfig(int profile, int compatibility, int level, int nalLengthSize,
                             List<byte[]> sps, List<byte[]> pps) {
        this.profile = profile;
        this.compatibility = compatibility;
        this.level = level;
        this.nalLengthSize = nalLengthSize;
        this.sps = sps;
        this.pps = pps;
    }

    /** Parses the readable bytes of {@code record}, leaving its indices alone. */
    public static AvcDecoderConfig parse(ByteBuf record) {
        BitReader r = new BitReader(WHAT, ByteBufUtil.getBytes(record));
        int version = r.u(8);
        if (version != 1) {
            throw new MediaFormatException(WHAT + ": configurationVersion " + version + ", expected 1");
        }
        int profile = r.u(8);
        int compatibility = r.u(8);
        int level = r.u(8);
        r.skip(6);
        int nalLengthSize = r.u(2) + 1;
        if (nalLengthSize == 3) {
            throw new MediaFormatException(WHAT + ": NAL length size 3 is not allowed (1, 2 or 4)");
        }
        r.skip(3);
        List<byte[]> sps = parameterSets(r, r.u(5));
        List<byte[]> pps = parameterSets(r, r.u(8));
        // High-profile records may go on with chroma format and bit depths; the SPS says the same.
        return new AvcDecoderConfig(profile, compatibility, level, nalLengthSize, sps, pps);
    }

    /**
     * Writes the record for one SPS and one PPS (each with its NAL header byte), with 4-byte NAL
     * lengths: what a source that carries parameter sets in-band (RTP) needs to become a hub stream.
     */
    public static void write(byte[] sps, byte[] pps, ByteBuf out) {
        if (sps.length < 4) {
            throw new MediaFormatException(WHAT + ": SPS of " + sps.length + " bytes is too short");
        }
        out.writeByte(1);
        out.writeByte(sps[1]); // profile_idc, constraint flags, level_idc: the SPS's own bytes 1-3
        out.writeByte(sps[2]);
        out.writeByte(sps[3]);
        out.writeByte(0xFF); // reserved bits, lengthSizeMinusOne = 3
        out.writeByte(0xE1); // reserved bits, one SPS
        out.writeShort(sps.length);
        out.writeBytes(sps);
        out.writeByte(1);
        out.writeShort(pps.length);
        out.writeBytes(pps);
    }

    private static List<byte[]> parameterSets(BitReader r, int count) {
        List<byte[]> sets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sets.add(r.bytes(r.u(16)));
        }
        return List.copyOf(sets);
    }

    /** AVCProfileIndication: profile_idc of the SPSs. */
    public int profile() {
        return profile;
    }

    /** profile_compatibility: the constraint_set flags byte of the SPSs. */
    public int compatibility() {
        return compatibility;
    }

    /** AVCLevelIndication: level_idc, ten times the level number. */
    public int level() {
        return level;
    }

    /** Bytes in each NAL unit length prefix of the stream's frames: 1, 2 or 4. */
    public int nalLengthSize() {
        return nalLengthSize;
    }

    /** The sequence parameter sets, NAL header byte included. Read-only by contract. */
    public List<byte[]> sps() {
        return sps;
    }

    /** The picture parameter sets, NAL header byte included. Read-only by contract. */
    public List<byte[]> pps() {
        return pps;
    }
}
