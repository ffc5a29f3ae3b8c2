package io.meshlive.hls.ts;

/**
 * PES packet headers (ISO/IEC 13818-1 2.4.3.6) as this muxer writes them: video with PTS and
 * DTS, audio with PTS only, no other optional fields.
 */
final class PesHeader {
    static final int STREAM_ID_VIDEO = 0xE0;
    static final int STREAM_ID_AUDIO = 0xC0;
    /** private_stream_1: where HLS timed metadata (ID3) goes. */
    static final int STREAM_ID_PRIVATE_1 = 0xBD;
    /** start code, stream_id, PES_packet_length, two flag bytes, PES_header_data_length, PTS. */
    static final int METADATA_LENGTH = 6 + 3 + 5;
    /** '10' marker bits and data_alignment_indicator: the PES starts with a whole ID3 tag. */
    private static final int FLAGS_1_ALIGNED = 0x84;
    /** start code, stream_id, PES_packet_length, two flag bytes, PES_header_data_length, PTS, DTS. */
    static final int VIDEO_LENGTH = 6 + 3 + 10;
    static final int AUDIO_LENGTH = 6 + 3 + 5;
    /** The bytes after PES_packet_length that the length still counts. */
    private static final int AFTER_LENGTH_FIELD = 3;
    /** '10' marker bits; no scrambling, priority, alignment, copyright or original flags. */
    private static final int FLAGS_1 = 0x80;
    private static final int PTS_DTS = 0xC0;
    private static final int PTS_ONLY = 0x80;
    private static final int PREFIX_PTS_ALONE = 0x2;
    private static final int PREFIX_PTS_BEFORE_DTS = 0x3;
    private static final int PREFIX_DTS = 0x1;
    private static final long MASK_33_BITS = 0x1FFFFFFFFL;

    private PesHeader() {
    }

    /**
     * PES_packet_length is 0, "unbounded", which the spec allows only for video and which a
     * keyframe with parameter sets can need anyway, as it may exceed 65,535 bytes.
     */
    static void writeVideo(TsPacketizer ts, long pts90kHz, long dts90kHz) {
        startCode(ts, STREAM_ID_VIDEO, 0);
        ts.writeByte(FLAGS_1);
        ts.writeByte(PTS_DTS);
        ts.writeByte(10);
        timestamp(ts, PREFIX_PTS_BEFORE_DTS, pts90kHz);
        timestamp(ts, PREFIX_DTS, dts90kHz);
    }

    /** An ADTS frame is at most 8,191 bytes, so audio always gets its real length. */
    static void writeAudio(TsPacketizer ts, long pts90kHz, int payloadLength) {
        startCode(ts, STREAM_ID_AUDIO, AFTER_LENGTH_FIELD + 5 + payloadLength);
        ts.writeByte(FLAGS_1);
        ts.writeByte(PTS_ONLY);
        ts.writeByte(5);
        timestamp(ts, PREFIX_PTS_ALONE, pts90kHz);
    }

    /** A timed-metadata PES: PTS only, aligned, with its real length (a cue is at most a few KB). */
    static void writeMetadata(TsPacketizer ts, long pts90kHz, int payloadLength) {
        startCode(ts, STREAM_ID_PRIVATE_1, AFTER_LENGTH_FIELD + 5 + payloadLength);
        ts.writeByte(FLAGS_1_ALIGNED);
        ts.writeByte(PTS_ONLY);
        ts.writeByte(5);
        timestamp(ts, PREFIX_PTS_ALONE, pts90kHz);
    }

    private static void startCode(TsPacketizer ts, int streamId, int packetLength) {
        ts.writeByte(0x00);
        ts.writeByte(0x00);
        ts.writeByte(0x01);
        ts.writeByte(streamId);
        ts.writeByte(packetLength >> 8);
        ts.writeByte(packetLength);
    }

    /**
     * A 33-bit timestamp in five bytes: a 4-bit prefix, then bits 32..30, 29..15 and 14..0, each
     * group followed by a marker bit of 1 so the field can never imitate a start code. Time wraps
     * at 2^33 ticks (about 26.5 hours), as every decoder expects.
     */
    private static void timestamp(TsPacketizer ts, int prefix, long ticks) {
        long t = ticks & MASK_33_BITS;
        ts.writeByte(prefix << 4 | (int) (t >>> 29) & 0x0E | 1);
        ts.writeByte((int) (t >>> 22));
        ts.writeByte((int) (t >>> 14) & 0xFE | 1);
        ts.writeByte((int) (t >>> 7));
        ts.writeByte((int) (t << 1) & 0xFE | 1);
    }
}
