package io.meshlive.media.flv;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.MediaFormatException;
import io.meshlive.media.TrackType;
import io.meshlive.media.UnsupportedCodecException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import static io.meshlive.media.TestMedia.buffer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static io.meshlive.testkit.Hex.hex;

class FlvTagBodyTest {
    private static final long DTS = 2_040_000;
    private static final long ARRIVAL = 42;

    @ParameterizedTest(name = "{0} {1} cts={2}")
    @CsvSource({
            // codec, kind,   cts ms, payload,                header FlvTagBody must write
            "H264,   config,  0,      0164000cffe1,            1700000000",
            "H264,   key,     80,     00000002abcd,            1701000050",
            "H264,   inter,   -40,    00000002abcd,            2701ffffd8",
            "H264,   inter,   0,      00000002abcd,            2701000000",
            "HEVC,   config,  0,      0101600000,              9068766331",
            "HEVC,   key,     80,     000000022601,            9168766331000050",
            "HEVC,   inter,   0,      000000020201,            a368766331",
            "AV1,    config,  0,      814c000a0b,              9061763031",
            "AV1,    key,     0,      12000a0b,                9161763031",
            "VP9,    config,  0,      01000000,                9076703039",
            "VP9,    inter,   0,      86004080,                a176703039",
            "AAC,    config,  0,      1210,                    af00",
            "AAC,    key,     0,      21100460,                af01",
            "MP3,    key,     0,      fffb10c4,                2e",
            "MP3,    key,     0,      fffb9064,                2f",
            "PCMA,   key,     0,      d5d5d5d5,                72",
            "PCMU,   key,     0,      ffffffff,                82",
            "OPUS,   config,  0,      4f707573486561640102,    904f707573",
            "OPUS,   key,     0,      fc0102,                  914f707573",
    })
    void writesTheHeaderAndDecodesItBack(Codec codec, String kind, int ctsMillis, String payload, String header) {
        Frame frame = frame(codec, kind, ctsMillis, payload);
        ByteBuf body = FlvBodies.encode(frame);
        try {
            assertThat(FlvTagBody.headerLength(frame)).isEqualTo(hex(header).length);
            assertThat(ByteBufUtil.hexDump(body)).isEqualTo(header + payload);
            FlvBodies.assertRoundTrip(frame, codec.track() == TrackType.VIDEO
                    ? FlvBodies.videoDecoder(DTS) : FlvBodies.audioDecoder(DTS));
        } finally {
            body.release();
            frame.release();
        }
    }

    @Test
    void scriptDataHasNoHeaderAndRoundTrips() {
        Frame metadata = Frame.config(Codec.AMF0, DTS, buffer(amfString("onMetaData") + "0800000000000009"), ARRIVAL);
        Frame cue = Frame.data(DTS, buffer(amfString("onCuePoint") + "0300000009"), ARRIVAL);
        try {
            for (Frame frame : new Frame[] {metadata, cue}) {
                assertThat(FlvTagBody.headerLength(frame)).isZero();
                FlvBodies.assertRoundTrip(frame, body -> FlvTagBody.decodeScript(body, DTS, ARRIVAL));
            }
        } finally {
            metadata.release();
            cue.release();
        }
    }

    @Test
    void decodedPayloadIsARetainedSliceOfTheBody() {
        ByteBuf body = buffer("1701000050 00000002abcd");
        try {
            Frame frame = FlvTagBody.decodeVideo(body, DTS, ARRIVAL);
            assertThat(body.refCnt()).isEqualTo(2);
            assertThat(body.readerIndex()).isZero();
            assertThat(frame.arrivalNanos()).isEqualTo(ARRIVAL);
            body.setByte(10, 0xEF);
            assertThat(ByteBufUtil.hexDump(frame.payload())).as("no copy").isEqualTo("00000002abef");
            frame.release();
            assertThat(body.refCnt()).isEqualTo(1);
        } finally {
            body.release();
        }
    }

    @Test
    void legacyHevcUsesTheAvcLayoutWithCodecId12() {
        assertDecodes(FlvTagBody::decodeVideo, "1c00000000 0101600000", Codec.HEVC, true, false, 0, "0101600000");
        assertDecodes(FlvTagBody::decodeVideo, "2c010000c8 00000001aa", Codec.HEVC, false, false, 200, "00000001aa");
    }

    @Test
    void enhancedAvcCarriesACompositionTime() {
        assertDecodes(FlvTagBody::decodeVideo, "9161766331 000050 00000001aa", Codec.H264, false, true, 80, "00000001aa");
        assertDecodes(FlvTagBody::decodeVideo, "a361766331 00000001aa", Codec.H264, false, false, 0, "00000001aa");
        assertDecodes(FlvTagBody::decodeVideo, "9061766331 0164", Codec.H264, true, false, 0, "0164");
    }

    @Test
    void av1CodedFramesCarryNoCompositionTime() {
        assertDecodes(FlvTagBody::decodeVideo, "9161763031 000050", Codec.AV1, false, true, 0, "000050");
    }

    @Test
    void enhancedAudioDecodesAacAndMp3() {
        assertDecodes(FlvTagBody::decodeAudio, "90 6d703461 1210", Codec.AAC, true, false, 0, "1210");
        assertDecodes(FlvTagBody::decodeAudio, "91 6d703461 2110", Codec.AAC, false, true, 0, "2110");
        assertDecodes(FlvTagBody::decodeAudio, "91 2e6d7033 fffb", Codec.MP3, false, true, 0, "fffb");
        assertDecodes(FlvTagBody::decodeAudio, "e2 fffb", Codec.MP3, false, true, 0, "fffb"); // legacy "MP3 8 kHz"
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "1702000000",         // AVC end of sequence
            "5700",               // legacy command frame: start of seek
            "d001",               // enhanced command frame: end of seek
            "9268766331",         // enhanced SequenceEnd
            "d4687663310200",     // enhanced Metadata, whatever the frame type says
    })
    void videoPacketsWithoutAFrameGiveNull(String body) {
        assertNull(FlvTagBody::decodeVideo, body);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "924f707573",         // SequenceEnd
            "944f7075730103",     // MultichannelConfig
            "902e6d7033",         // MP3 has nothing to configure
    })
    void audioPacketsWithoutAFrameGiveNull(String body) {
        assertNull(FlvTagBody::decodeAudio, body);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
            "1900000000,        unsupported video codec id 9",
            "2200,              unsupported video codec id 2",
            "9076703038,        unsupported video FourCC 'vp08'",
            "9001020304,        unsupported video FourCC 0x01020304",
            "96006176303100,    unsupported video packet type 6",
            "9761763031,        unsupported video packet type 7",
            "9561763031800481,  unsupported video packet type 5 (MPEG2TSSequenceStart)",
    })
    void unsupportedVideoIsNamed(String body, String message) {
        assertUnsupported(FlvTagBody::decodeVideo, body, message);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({
            "6200,              unsupported audio codec id 6",
            "b200,              unsupported audio codec id 11",
            "91664c6143,        unsupported audio FourCC 'fLaC'",
            "95004f707573,      unsupported audio packet type 5",
            "934f707573,        unsupported audio packet type 3",
    })
    void unsupportedAudioIsNamed(String body, String message) {
        assertUnsupported(FlvTagBody::decodeAudio, body, message);
    }

    @Test
    void malformedHeadersAreMediaFormatExceptions() {
        assertThatThrownBy(() -> decode(FlvTagBody::decodeVideo, "1703000000"))
                .isExactlyInstanceOf(MediaFormatException.class).hasMessage("unknown AVCPacketType 3");
        assertThatThrownBy(() -> decode(FlvTagBody::decodeAudio, "af02"))
                .isExactlyInstanceOf(MediaFormatException.class).hasMessage("unknown AACPacketType 2");
        assertThatThrownBy(() -> decode(FlvTagBody::decodeVideo, "170100"))
                .isExactlyInstanceOf(MediaFormatException.class).hasMessage("H264 video tag header truncated: 3 of 5 bytes");
        assertThatThrownBy(() -> decode(FlvTagBody::decodeVideo, ""))
                .isExactlyInstanceOf(MediaFormatException.class).hasMessage("video tag header truncated: 0 of 1 bytes");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "video, 1701000050 00000002abcd", "video, 9168766331 000050 00000002", "video, a368766331 0000",
            "video, 9061763031 81", "video, 5700", "video, d001",
            "audio, af01 2110", "audio, 904f707573 4f707573", "audio, 2e fffb", "audio, 91 6d703461 2110",
    })
    void everyPrefixOfABodyDecodesOrThrowsMediaFormatException(String track, String hexBody) {
        Function<ByteBuf, Frame> decoder = track.equals("video") ? FlvBodies.videoDecoder(DTS) : FlvBodies.audioDecoder(DTS);
        byte[] whole = hex(hexBody);
        for (int length = 0; length <= whole.length; length++) {
            ByteBuf prefix = buffer(whole).writerIndex(length);
            Frame[] decoded = new Frame[1];
            try {
                Throwable thrown = catchThrowable(() -> decoded[0] = decoder.apply(prefix));
                assertThat(thrown).as("prefix of %d bytes", length).satisfiesAnyOf(
                        t -> assertThat(t).isNull(),
                        t -> assertThat(t).isInstanceOf(MediaFormatException.class));
            } finally {
                if (decoded[0] != null) {
                    decoded[0].release();
                }
                prefix.release();
            }
        }
    }

    @Test
    void setDataFrameIsStrippedAndOnMetaDataBecomesTheDataTracksConfig() {
        String metadata = amfString("onMetaData") + "080000000100057769647468004074000000000000000009";
        ByteBuf body = buffer(amfString("@setDataFrame") + metadata);
        try {
            Frame frame = FlvTagBody.decodeScript(body, DTS, ARRIVAL);
            assertThat(frame.codec()).isEqualTo(Codec.AMF0);
            assertThat(frame.isConfig()).isTrue();
            assertThat(ByteBufUtil.hexDump(frame.payload())).isEqualTo(metadata);
            frame.release();
        } finally {
            body.release();
        }
    }

    @Test
    void otherScriptDataIsADataFrame() {
        String cue = amfString("onCuePoint") + "03000000 09";
        ByteBuf body = buffer(amfString("@setDataFrame") + cue);
        try {
            Frame frame = FlvTagBody.decodeScript(body, DTS, ARRIVAL);
            assertThat(frame.isConfig()).isFalse();
            assertThat(frame.dts()).isEqualTo(DTS);
            assertThat(ByteBufUtil.hexDump(frame.payload())).isEqualTo(cue.replace(" ", ""));
            frame.release();
        } finally {
            body.release();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "02000d4073657444617461467261 6d65"})
    void emptyScriptDataIsRejected(String body) {
        assertThatThrownBy(() -> decode(FlvTagBody::decodeScript, body))
                .isInstanceOf(MediaFormatException.class).hasMessage("empty script data");
    }

    @Test
    void aCompositionTimeBeyond24BitsIsRefused() {
        Frame frame = Frame.media(Codec.HEVC, 0, (1L << 23) * 1000, true, buffer("00"), ARRIVAL);
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            assertThatThrownBy(() -> FlvTagBody.writeHeader(frame, out))
                    .isInstanceOf(MediaFormatException.class).hasMessageStartingWith("composition time 8388608 ms");
        } finally {
            out.release();
            frame.release();
        }
    }

    private interface Decoder {
        Frame decode(ByteBuf body, long dtsMicros, long arrivalNanos);
    }

    private static Frame frame(Codec codec, String kind, int ctsMillis, String payload) {
        ByteBuf bytes = buffer(payload);
        return switch (kind) {
            case "config" -> Frame.config(codec, DTS, bytes, ARRIVAL);
            case "key" -> Frame.media(codec, DTS, DTS + ctsMillis * 1000L, true, bytes, ARRIVAL);
            case "inter" -> Frame.media(codec, DTS, DTS + ctsMillis * 1000L, false, bytes, ARRIVAL);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** Decodes and releases; returns nothing so no frame can leak from a helper. */
    private static void decode(Decoder decoder, String body) {
        ByteBuf buf = buffer(body);
        try {
            Frame frame = decoder.decode(buf, DTS, ARRIVAL);
            if (frame != null) {
                frame.release();
            }
        } finally {
            buf.release();
        }
    }

    private static void assertDecodes(Decoder decoder, String body, Codec codec, boolean config, boolean keyframe,
                                      int ctsMillis, String payload) {
        ByteBuf buf = buffer(body);
        try {
            Frame frame = decoder.decode(buf, DTS, ARRIVAL);
            try {
                assertThat(frame.codec()).isEqualTo(codec);
                assertThat(frame.isConfig()).isEqualTo(config);
                assertThat(frame.isKeyframe()).isEqualTo(keyframe);
                assertThat(frame.pts() - frame.dts()).isEqualTo(ctsMillis * 1000L);
                assertThat(ByteBufUtil.hexDump(frame.payload())).isEqualTo(payload);
            } finally {
                frame.release();
            }
        } finally {
            buf.release();
        }
    }

    private static void assertNull(Decoder decoder, String body) {
        ByteBuf buf = buffer(body);
        try {
            assertThat(decoder.decode(buf, DTS, ARRIVAL)).isNull();
            assertThat(buf.refCnt()).isEqualTo(1);
        } finally {
            buf.release();
        }
    }

    private static void assertUnsupported(Decoder decoder, String body, String message) {
        assertThatThrownBy(() -> decode(decoder, body))
                .isInstanceOf(UnsupportedCodecException.class)
                .hasMessage(message);
    }

    private static String amfString(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        return String.format("02%04x", bytes.length) + ByteBufUtil.hexDump(bytes);
    }
}
