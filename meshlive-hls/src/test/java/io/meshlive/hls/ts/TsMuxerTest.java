package io.meshlive.hls.ts;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.MediaFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TsMuxerTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    /** avcC: version 1, Baseline 3.0, 4-byte lengths, one made-up SPS and PPS (the muxer copies them, never parses). */
    private static final String AVCC = "0142c01effe1" + "0005" + "6742c01eaa" + "01" + "0004" + "68ce3c80";
    /** AudioSpecificConfig: AAC LC, 44.1 kHz, stereo. */
    private static final String ASC = "1210";
    /** An HEVC Main SPS from ffmpeg (x265), 1920x1080. */
    private static final String HEVC_SPS = "42010201600000030090000003000003003c0000a00b080485965662b349265780b4040000030004000003007820";
    /** ffmpeg's PAT for program 1 with its PMT on PID 0x1000, the table every ffmpeg HLS segment opens with. */
    private static final String PAT = "474000100000b00d0001c100000001f0002ab104b2";
    /** metadata_pointer_descriptor: tag 0x25, 15 bytes, format 'ID3 ' registered (0xFFFF, 0xFF), service 0, same TS, program 1. */
    private static final String METADATA_POINTER = "250f" + "ffff49443320" + "ff49443320" + "00" + "1f" + "0001";
    /** The ID3 stream: type 0x15 on PID 0x102, ES_info a metadata_descriptor (tag 0x26, 13 bytes, no decoder config). */
    private static final String METADATA_STREAM = "15e102f00f" + "260d" + "ffff49443320" + "ff49443320" + "00" + "0f";

    @Test
    void crcIsCrc32Mpeg2() {
        ByteBuf check = Unpooled.copiedBuffer("123456789", StandardCharsets.US_ASCII);
        try {
            assertThat(Crc32Mpeg2.compute(check, 0, 9)).isEqualTo(0x0376E6E7);
            assertThat(bitwiseCrc(check, 0, 9)).isEqualTo(0x0376E6E7);
        } finally {
            check.release();
        }
    }

    @Test
    void patIsTheStandardOne() {
        ByteBuf tables = segmentStart(muxer(AVCC, ASC));
        try {
            assertThat(tables.readableBytes()).isEqualTo(2 * 188);
            assertThat(ByteBufUtil.hexDump(tables, 0, 188)).isEqualTo(PAT + "ff".repeat(188 - PAT.length() / 2));
            assertThat(bitwiseCrc(tables, 5, 12)).isEqualTo(0x2AB104B2);
        } finally {
            tables.release();
        }
    }

    @Test
    void pmtListsVideoThenAudioWithVideoAsClock() {
        ByteBuf tables = segmentStart(muxer(AVCC, ASC));
        try {
            // program_info: Apple's metadata_pointer_descriptor; then video, audio, and the ID3 stream
            // (stream_type 0x15, PID 0x102) with its metadata_descriptor.
            String pmt = "02b03c0001c10000e100f011" + METADATA_POINTER + "1be100f000" + "0fe101f000" + METADATA_STREAM;
            assertThat(ByteBufUtil.hexDump(tables, 188, 5)).isEqualTo("4750001000");
            assertThat(ByteBufUtil.hexDump(tables, 193, pmt.length() / 2)).isEqualTo(pmt);
            int crcAt = 193 + pmt.length() / 2;
            assertThat(tables.getInt(crcAt)).isEqualTo(bitwiseCrc(tables, 193, pmt.length() / 2));
            assertThat(ByteBufUtil.hexDump(tables, crcAt + 4, 376 - crcAt - 4)).matches("(ff)+");
        } finally {
            tables.release();
        }
    }

    @Test
    void audioOnlyPmtHasAudioAsClockAndCountersAdvancePerSegment() {
        TsMuxer muxer = muxer(null, ASC);
        ByteBuf first = segmentStart(muxer);
        ByteBuf second = segmentStart(muxer);
        try {
            String pmt = "02b0370001c10000e101f011" + METADATA_POINTER + "0fe101f000" + METADATA_STREAM;
            assertThat(ByteBufUtil.hexDump(first, 193, pmt.length() / 2)).isEqualTo(pmt);
            assertThat(first.getByte(3) & 0x0F).isZero();
            assertThat(second.getByte(3) & 0x0F).isEqualTo(1);
            assertThat(second.getByte(188 + 3) & 0x0F).isEqualTo(1);
        } finally {
            first.release();
            second.release();
        }
    }

    @Test
    void keyframeIsOnePacketWithPcrAudAndParameterSets() {
        TsMuxer muxer = muxer(AVCC, ASC);
        // dts 1 s = 90000 ticks, pts 1.04 s = 93600 ticks
        Frame frame = Frame.media(Codec.H264, 1_000_000, 1_040_000, true, hex("00000003658884"), 0);
        ByteBuf out = ALLOC.buffer();
        try {
            muxer.write(frame, out);
            assertThat(out.readableBytes()).isEqualTo(188);
            String es = "0000000109f0" + "000000016742c01eaa" + "0000000168ce3c80" + "00000001658884";
            String pes = "000001e00000" + "80c00a" + "310005db41" + "110005bf21" + es;
            int stuffing = 184 - 8 - pes.length() / 2;
            String adaptation = String.format("%02x", 7 + stuffing) + "50" + "0000afc87e00" + "ff".repeat(stuffing);
            assertThat(ByteBufUtil.hexDump(out)).isEqualTo("47410030" + adaptation + pes);
        } finally {
            out.release();
            frame.release();
        }
    }

    @Test
    void ptsKeepsAll33BitsBetweenMarkerBits() {
        TsMuxer muxer = muxer(null, ASC);
        long ticks = 0x1_2345_6789L; // bit 32 set, divisible by 9, so exact in microseconds
        Frame frame = Frame.media(Codec.AAC, ticks * 100 / 9, ticks * 100 / 9, true, hex("21"), 0);
        ByteBuf out = ALLOC.buffer();
        try {
            muxer.write(frame, out);
            int pes = TsPackets.payloadStart(out, 0);
            // prefix 0010, bits 32..30 = 100, marker; bits 29..15 = 0x468a, marker; bits 14..0 = 0x6789, marker
            assertThat(ByteBufUtil.hexDump(out, pes, 14)).isEqualTo("000001c00010" + "808005" + "298d15cf13");
            assertThat(ByteBufUtil.hexDump(out, pes + 14, 8)).isEqualTo("fff15080011ffc" + "21");
        } finally {
            out.release();
            frame.release();
        }
    }

    @ParameterizedTest
    // PES lengths of 21 + n: one packet exactly at 163, one byte of stuffing (a bare adaptation_field_length) at 162 and 346
    @ValueSource(ints = {1, 2, 100, 161, 162, 163, 164, 345, 346, 347, 348, 2000})
    void pesSplitsIntoPacketsAndComesBackWhole(int rawLength) {
        TsMuxer muxer = muxer(AVCC, ASC);
        ByteBuf raw = ALLOC.buffer(rawLength);
        for (int i = 0; i < rawLength; i++) {
            raw.writeByte(i * 7);
        }
        Frame frame = Frame.media(Codec.AAC, 0, 0, true, raw, 0);
        ByteBuf out = ALLOC.buffer();
        try {
            muxer.write(frame, out);
            muxer.write(frame, out);
            TsPackets.checkFraming(out);
            byte[] payload = TsPackets.payload(out, TsMuxer.AUDIO_PID);
            int pesLength = 14 + 7 + rawLength;
            assertThat(payload).hasSize(2 * pesLength);
            for (int copy = 0; copy < 2; copy++) {
                ByteBuf pes = Unpooled.wrappedBuffer(payload, copy * pesLength, pesLength);
                assertThat(pes.getInt(0)).isEqualTo(0x000001C0);
                assertThat(pes.getUnsignedShort(4)).isEqualTo(pesLength - 6);
                assertThat(ByteBufUtil.hexDump(pes, 21, rawLength)).isEqualTo(ByteBufUtil.hexDump(raw));
            }
        } finally {
            out.release();
            frame.release();
        }
    }

    @Test
    void convertsEveryNalUnitToAnnexBAndSkipsParameterSetsOnDeltaFrames() {
        TsMuxer muxer = muxer(AVCC, ASC);
        ByteBuf nals = ALLOC.buffer();
        nals.writeInt(300);
        nals.writeByte(0x41);
        nals.writeZero(299);
        nals.writeInt(2);
        nals.writeShort(0x0601);
        Frame frame = Frame.media(Codec.H264, 40_000, 40_000, false, nals, 0);
        ByteBuf out = ALLOC.buffer();
        try {
            muxer.write(frame, out);
            TsPackets.checkFraming(out);
            assertThat(out.getUnsignedByte(5) & 0x40).as("no random_access_indicator").isZero();
            byte[] pes = TsPackets.payload(out, TsMuxer.VIDEO_PID);
            ByteBuf es = Unpooled.wrappedBuffer(pes, 19, pes.length - 19);
            assertThat(ByteBufUtil.hexDump(es, 0, 11)).isEqualTo("0000000109f0" + "0000000141");
            assertThat(es.readableBytes()).isEqualTo(6 + 4 + 300 + 4 + 2);
            assertThat(ByteBufUtil.hexDump(es, 6 + 304, 6)).isEqualTo("000000010601");
        } finally {
            out.release();
            frame.release();
        }
    }

    @Test
    void hevcGetsItsOwnStreamTypeAndAud() {
        // hvcC with one made-up VPS and PPS and a real SPS, which the config parser reads
        String hvcc = "01016000000090000000000078f000fcfdf8f800000f03"
                + "a00001" + "0004" + "40010c01"
                + "a10001" + "002e" + HEVC_SPS
                + "a20001" + "0003" + "4401c1";
        TsMuxer muxer = muxer(Codec.HEVC, hvcc, null);
        assertThat(muxer.carries(Codec.HEVC)).isTrue();
        ByteBuf tables = segmentStart(muxer);
        Frame frame = Frame.media(Codec.HEVC, 0, 0, true, hex("000000032601af"), 0);
        ByteBuf out = ALLOC.buffer();
        try {
            assertThat(ByteBufUtil.hexDump(tables, 193 + 12 + METADATA_POINTER.length() / 2, 5)).isEqualTo("24e100f000");
            muxer.write(frame, out);
            String es = ByteBufUtil.hexDump(TsPackets.payload(out, TsMuxer.VIDEO_PID)).substring(38);
            assertThat(es).isEqualTo("00000001460150" + "0000000140010c01" + "00000001" + HEVC_SPS + "000000014401c1"
                    + "000000012601af");
        } finally {
            tables.release();
            out.release();
            frame.release();
        }
    }

    @Test
    void skipsCodecsItCannotCarry() {
        Frame vp9Config = configFrame(Codec.VP9, "01000000");
        Frame opusConfig = configFrame(Codec.OPUS, "4f707573486561640102");
        TsMuxer muxer = new TsMuxer(vp9Config, opusConfig);
        vp9Config.release();
        opusConfig.release();
        Frame vp9 = Frame.media(Codec.VP9, 0, 0, true, hex("0102"), 0);
        Frame opus = Frame.media(Codec.OPUS, 0, 0, true, hex("0102"), 0);
        ByteBuf out = ALLOC.buffer();
        try {
            assertThat(muxer.carries(Codec.VP9)).isFalse();
            assertThat(muxer.carries(Codec.OPUS)).isFalse();
            assertThat(muxer.carries(Codec.H264)).isFalse();
            muxer.write(vp9, out);
            muxer.write(opus, out);
            assertThat(out.readableBytes()).isZero();
        } finally {
            out.release();
            vp9.release();
            opus.release();
        }
    }

    @Test
    void malformedFrameWritesNothing() {
        TsMuxer muxer = muxer(AVCC, null);
        Frame frame = Frame.media(Codec.H264, 0, 0, true, hex("0000000965"), 0);
        ByteBuf out = ALLOC.buffer();
        try {
            assertThatThrownBy(() -> muxer.write(frame, out)).isInstanceOf(MediaFormatException.class);
            assertThat(out.readableBytes()).isZero();
        } finally {
            out.release();
            frame.release();
        }
    }

    private static TsMuxer muxer(String avcc, String asc) {
        return muxer(Codec.H264, avcc, asc);
    }

    private static TsMuxer muxer(Codec video, String videoConfig, String asc) {
        Frame v = videoConfig == null ? null : configFrame(video, videoConfig);
        Frame a = asc == null ? null : configFrame(Codec.AAC, asc);
        try {
            return new TsMuxer(v, a);
        } finally {
            if (v != null) {
                v.release();
            }
            if (a != null) {
                a.release();
            }
        }
    }

    private static Frame configFrame(Codec codec, String hex) {
        return Frame.config(codec, 0, hex(hex), 0);
    }

    private static ByteBuf hex(String hex) {
        return ALLOC.buffer().writeBytes(ByteBufUtil.decodeHexDump(hex));
    }

    private static ByteBuf segmentStart(TsMuxer muxer) {
        return muxer.segmentStart(ALLOC);
    }

    /** CRC-32/MPEG-2 bit by bit, straight from the polynomial, to check the table-driven one. */
    private static int bitwiseCrc(ByteBuf buf, int index, int length) {
        int crc = 0xFFFFFFFF;
        for (int i = index; i < index + length; i++) {
            crc ^= buf.getUnsignedByte(i) << 24;
            for (int bit = 0; bit < 8; bit++) {
                crc = crc < 0 ? crc << 1 ^ 0x04C11DB7 : crc << 1;
            }
        }
        return crc;
    }
}
