package io.meshlive.media.flv;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.MediaFormatException;
import io.meshlive.media.TestMedia;
import io.meshlive.media.UnsupportedCodecException;
import io.meshlive.media.aac.AacConfig;
import io.meshlive.media.avc.AvcDecoderConfig;
import io.meshlive.media.avc.AvcSps;
import io.meshlive.media.hevc.HevcDecoderConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static io.meshlive.media.TestMedia.buffer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static io.meshlive.testkit.Hex.hex;

/**
 * Files made by ffmpeg 5.1 (see README.md next to them), checked against what ffprobe reports;
 * hevc_enhanced.flv was put together by mp4_to_eflv.py from an ffmpeg/x265 MP4, since ffmpeg 5.1
 * cannot write HEVC into FLV.
 */
class FlvReaderTest {
    private static final long ARRIVAL = 7;

    @Test
    void readsH264AndAacAsFfprobeSeesThem() {
        List<Frame> frames = frames("h264_aac.flv", header -> {
            assertThat(header).isEqualTo(new FlvHeader(1, true, true, 9));
        });
        try {
            assertThat(frames).hasSize(1 + 2 + 50 + 88); // the AVC end-of-sequence tag gives no frame
            Frame metadata = frames.get(0);
            assertThat(metadata.codec()).isEqualTo(Codec.AMF0);
            assertThat(metadata.isConfig()).as("onMetaData is the data track's config").isTrue();

            Frame avcC = frames.stream().filter(f -> f.codec() == Codec.H264 && f.isConfig()).findFirst().orElseThrow();
            AvcDecoderConfig avc = AvcDecoderConfig.parse(avcC.payload());
            AvcSps sps = AvcSps.parse(avc.sps().get(0));
            assertThat(sps).isEqualTo(new AvcSps(100, 12, 1, 320, 180, 25.0)); // High, level 1.2

            Frame asc = frames.stream().filter(f -> f.codec() == Codec.AAC && f.isConfig()).findFirst().orElseThrow();
            assertThat(AacConfig.parse(asc.payload())).isEqualTo(new AacConfig(2, 44100, 2)); // LC

            List<Frame> video = media(frames, Codec.H264);
            assertThat(video).hasSize(50);
            assertThat(video.stream().filter(Frame::isKeyframe)).hasSize(2);
            assertThat(video.get(0).dts()).isZero();
            assertThat(video.get(0).pts()).isEqualTo(80_000);
            assertThat(video.get(49).dts()).isEqualTo(1_960_000);
            assertThat(video.get(49).pts()).isEqualTo(2_040_000);

            List<Frame> audio = media(frames, Codec.AAC);
            assertThat(audio).hasSize(88);
            assertThat(audio.get(0).dts()).isEqualTo(57_000);
            assertThat(audio.get(87).pts()).isEqualTo(2_077_000);
            assertThat(frames).allSatisfy(f -> assertThat(f.arrivalNanos()).isEqualTo(ARRIVAL));
        } finally {
            frames.forEach(Frame::release);
        }
    }

    @Test
    void readsEnhancedHevc() {
        List<Frame> frames = frames("hevc_enhanced.flv", header -> assertThat(header.hasVideo()).isTrue());
        try {
            assertThat(frames).hasSize(51); // config and 50 frames; SequenceEnd gives none
            HevcDecoderConfig config = HevcDecoderConfig.parse(frames.get(0).payload());
            assertThat(config.width()).isEqualTo(320);
            assertThat(config.height()).isEqualTo(180);
            assertThat(config.profileIdc()).isEqualTo(1); // Main
            assertThat(config.levelIdc()).isEqualTo(60);
            List<Frame> video = media(frames, Codec.HEVC);
            assertThat(video).hasSize(50);
            assertThat(video.stream().filter(Frame::isKeyframe)).hasSize(2);
            assertThat(video.get(0).pts() - video.get(0).dts()).isEqualTo(80_000);
            assertThat(video.stream().filter(f -> f.pts() == f.dts())).as("CodedFramesX").hasSize(16);
        } finally {
            frames.forEach(Frame::release);
        }
    }

    @Test
    void readsMp3AndG711() {
        List<Frame> mp3 = frames("mp3.flv", header -> assertThat(header).isEqualTo(new FlvHeader(1, true, false, 9)));
        List<Frame> alaw = frames("alaw.flv", header -> { });
        try {
            assertThat(mp3).hasSize(1 + 13);
            assertThat(media(mp3, Codec.MP3)).hasSize(13).allSatisfy(f -> assertThat(f.payload().getByte(0)).isEqualTo((byte) 0xFF));
            assertThat(media(alaw, Codec.PCMA)).hasSize(2);
            assertThat(media(alaw, Codec.PCMA).get(1).dts()).isEqualTo(128_000); // 1024 samples at 8 kHz
        } finally {
            mp3.forEach(Frame::release);
            alaw.forEach(Frame::release);
        }
    }

    @Test
    void anUnsupportedCodecFailsTheFrameNotTheReader() {
        ByteBuf flv = buffer(TestMedia.resource(FlvReaderTest.class, "nellymoser.flv"));
        try {
            FlvReader reader = new FlvReader(flv);
            FlvTag script = reader.next();
            FlvTag audio = reader.next();
            try {
                assertThat(script.type()).isEqualTo(FlvTag.SCRIPT);
                assertThat(audio.type()).isEqualTo(FlvTag.AUDIO);
                assertThatThrownBy(() -> audio.toFrame(ARRIVAL))
                        .isInstanceOf(UnsupportedCodecException.class)
                        .hasMessage("unsupported audio codec id 6");
            } finally {
                script.release();
                audio.release();
            }
        } finally {
            flv.release();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h264_aac.flv", "hevc_enhanced.flv", "mp3.flv", "alaw.flv"})
    void rewritingEveryFrameGivesTheFileBackByteForByte(String file) {
        byte[] original = TestMedia.resource(FlvReaderTest.class, file);
        ByteBuf flv = buffer(original);
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer(original.length);
        try {
            FlvReader reader = new FlvReader(flv);
            FlvWriter.writeFileHeader(out, reader.header().hasAudio(), reader.header().hasVideo());
            for (FlvTag tag = reader.next(); tag != null; tag = reader.next()) {
                Frame frame = tag.toFrame(ARRIVAL);
                ByteBuf body = frame == null ? tag.content().retain() : FlvBodies.encode(frame);
                try {
                    int size = body.readableBytes();
                    FlvWriter.writeTagHeader(out, tag.type(), size, tag.timestampMillis());
                    out.writeBytes(body);
                    FlvWriter.writeTagTrailer(out, size);
                } finally {
                    body.release();
                    tag.release();
                    if (frame != null) {
                        frame.release();
                    }
                }
            }
            assertThat(ByteBufUtil.getBytes(out)).isEqualTo(original);
            assertThat(flv.refCnt()).as("every tag body released").isEqualTo(1);
        } finally {
            out.release();
            flv.release();
        }
    }

    @Test
    void tagsOutliveTheFileBuffer() {
        ByteBuf flv = buffer(TestMedia.resource(FlvReaderTest.class, "alaw.flv"));
        FlvTag tag = new FlvReader(flv).next();
        flv.release();
        try {
            assertThat(tag.content().getByte(0)).isEqualTo((byte) 0x02); // the onMetaData AMF string marker
        } finally {
            tag.release();
        }
        assertThat(flv.refCnt()).isZero();
    }

    @Test
    void everyPrefixReadsOrThrowsMediaFormatException() {
        byte[] whole = TestMedia.resource(FlvReaderTest.class, "alaw.flv");
        byte[] h264Start = Arrays.copyOf(TestMedia.resource(FlvReaderTest.class, "h264_aac.flv"), 3000);
        for (byte[] file : new byte[][] {whole, h264Start}) {
            for (int length = 0; length <= file.length; length++) {
                ByteBuf prefix = buffer(Arrays.copyOf(file, length));
                try {
                    Throwable thrown = catchThrowable(() -> readAll(prefix));
                    assertThat(thrown).as("prefix of %d bytes", length).satisfiesAnyOf(
                            t -> assertThat(t).isNull(),
                            t -> assertThat(t).isInstanceOf(MediaFormatException.class));
                    assertThat(prefix.refCnt()).isEqualTo(1);
                } finally {
                    prefix.release();
                }
            }
        }
    }

    @Test
    void aLyingDataSizeIsTruncationNotAnAllocation() {
        ByteBuf flv = ByteBufAllocator.DEFAULT.buffer();
        try {
            FlvWriter.writeFileHeader(flv, true, false);
            FlvWriter.writeTagHeader(flv, FlvTag.AUDIO, 0xFFFFFF, 0);
            flv.writeBytes(hex("af01 2110 00000014"));
            FlvReader reader = new FlvReader(flv);
            assertThatThrownBy(reader::next)
                    .isInstanceOf(MediaFormatException.class)
                    .hasMessage("FLV tag of 16777215 bytes truncated: 8 of 16777219 bytes");
        } finally {
            flv.release();
        }
    }

    @Test
    void extendedTimestampsAndUnknownTagTypes() {
        ByteBuf flv = ByteBufAllocator.DEFAULT.buffer();
        try {
            FlvWriter.writeFileHeader(flv, true, false);
            writeTag(flv, 15, 0x7F, "0102"); // reserved type: skipped
            writeTag(flv, FlvTag.AUDIO, 0x12345678L, "af012110");
            writeTag(flv, FlvTag.AUDIO, 0x1_0000_0005L, "af012110"); // 2^32 ms wraps, as in every FLV
            assertThat(ByteBufUtil.hexDump(flv, 13 + 17, 11)).isEqualTo("0800000434567812000000");

            FlvReader reader = new FlvReader(flv);
            FlvTag first = reader.next();
            FlvTag second = reader.next();
            try {
                assertThat(first.type()).isEqualTo(FlvTag.AUDIO);
                assertThat(first.timestampMillis()).isEqualTo(0x12345678L);
                assertThat(second.timestampMillis()).isEqualTo(5);
                assertThat(reader.next()).isNull();
            } finally {
                first.release();
                second.release();
            }
        } finally {
            flv.release();
        }
    }

    @Test
    void encryptedTagsAreUnsupported() {
        ByteBuf flv = ByteBufAllocator.DEFAULT.buffer();
        try {
            FlvWriter.writeFileHeader(flv, true, false);
            writeTag(flv, 0x20 | FlvTag.AUDIO, 0, "af012110");
            assertThatThrownBy(new FlvReader(flv)::next)
                    .isInstanceOf(UnsupportedCodecException.class)
                    .hasMessage("encrypted FLV tag");
        } finally {
            flv.release();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "464c5601050000000900000000", // ffmpeg's audio+video header, what writeFileHeader writes
            "464c5601050000000c 000000 00000000", // three bytes of padding a writer may add
    })
    void headersAreReadFromTheDataOffset(String header) {
        ByteBuf flv = buffer(header);
        try {
            FlvReader reader = new FlvReader(flv);
            assertThat(reader.header().dataOffset()).isEqualTo(hex(header).length - 4);
            assertThat(reader.next()).isNull();
        } finally {
            flv.release();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "464c5601050000000900000000:",
            "464c4601050000000900000000:not an FLV file: no 'FLV' signature",
            "464c5601050000000800000000:FLV header data offset 8 outside 9..13",
            "464c5601050000ffff00000000:FLV header data offset 65535 outside 9..13",
            "464c56010500000009000000:FLV PreviousTagSize0 truncated: 3 of 4 bytes",
            "464c5601:FLV header truncated: 4 of 9 bytes",
    })
    void badHeadersAreNamed(String hexAndMessage) {
        String[] parts = hexAndMessage.split(":", 2);
        ByteBuf flv = buffer(parts[0]);
        try {
            Throwable thrown = catchThrowable(() -> new FlvReader(flv));
            if (parts[1].isEmpty()) {
                assertThat(thrown).isNull();
            } else {
                assertThat(thrown).isInstanceOf(MediaFormatException.class).hasMessage(parts[1]);
            }
        } finally {
            flv.release();
        }
    }

    @Test
    void writerFramingMatchesFfmpeg() {
        byte[] ffmpeg = TestMedia.resource(FlvReaderTest.class, "h264_aac.flv");
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            FlvWriter.writeFileHeader(out, true, true);
            // ffmpeg's second tag: the AVC sequence header, 52 bytes at time 0
            FlvWriter.writeTagHeader(out, FlvTag.VIDEO, 52, 0);
            int scriptTag = FlvTag.HEADER_LENGTH + 293 + FlvTag.TRAILER_LENGTH;
            assertThat(ByteBufUtil.getBytes(out, 0, 13)).isEqualTo(Arrays.copyOf(ffmpeg, 13));
            assertThat(ByteBufUtil.getBytes(out, 13, 11)).isEqualTo(Arrays.copyOfRange(ffmpeg, 13 + scriptTag, 13 + scriptTag + 11));
        } finally {
            out.release();
        }
        assertThatThrownBy(() -> FlvWriter.writeTagHeader(ByteBufAllocator.DEFAULT.heapBuffer(0, 0), FlvTag.VIDEO, 1 << 24, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void writeTag(ByteBuf flv, int type, long timestamp, String body) {
        byte[] bytes = hex(body);
        FlvWriter.writeTagHeader(flv, type, bytes.length, timestamp);
        flv.writeBytes(bytes);
        FlvWriter.writeTagTrailer(flv, bytes.length);
    }

    /** Every frame in a test file, in order; the caller releases them. */
    private static List<Frame> frames(String file, Consumer<FlvHeader> headerCheck) {
        ByteBuf flv = buffer(TestMedia.resource(FlvReaderTest.class, file));
        List<Frame> frames = new ArrayList<>();
        try {
            FlvReader reader = new FlvReader(flv);
            headerCheck.accept(reader.header());
            for (FlvTag tag = reader.next(); tag != null; tag = reader.next()) {
                try {
                    Frame frame = tag.toFrame(ARRIVAL);
                    if (frame != null) {
                        frames.add(frame);
                    }
                } finally {
                    tag.release();
                }
            }
            return frames;
        } catch (RuntimeException | AssertionError e) {
            frames.forEach(Frame::release);
            throw e;
        } finally {
            flv.release();
        }
    }

    private static List<Frame> media(List<Frame> frames, Codec codec) {
        return frames.stream().filter(f -> f.codec() == codec && !f.isConfig()).toList();
    }

    private static void readAll(ByteBuf flv) {
        FlvReader reader = new FlvReader(flv);
        for (FlvTag tag = reader.next(); tag != null; tag = reader.next()) {
            try {
                Frame frame = tag.toFrame(ARRIVAL);
                if (frame != null) {
                    frame.release();
                }
            } finally {
                tag.release();
            }
        }
    }
}
