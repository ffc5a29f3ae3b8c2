package io.meshlive.transcode;

import io.meshlive.testkit.Ffmpeg;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.aac.AacConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AudioTranscoderTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final long START_DTS = 3_000_000;
    private static final double SECONDS = 2;
    private static final long OPUS_FRAME_MICROS = 20_000;
    private static final long AAC_48K_FRAME_MICROS = 1024 * 1_000_000L / 48_000;
    /** The look-ahead libopus reports for restricted low delay: 2.5 ms. */
    private static final int OPUS_LOWDELAY_PRE_SKIP = 120;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} Hz, {1} channel(s)")
    @CsvSource({"44100, 1", "44100, 2", "48000, 2"})
    void aacBecomesOpusThatFfmpegPlaysAsTheSameTone(int rate, int channels) throws Exception {
        AdtsFile aac = AdtsFile.parse(Files.readAllBytes(Ffmpeg.aacSine(dir.resolve("in.aac"), rate, channels, SECONDS)));
        List<Frame> out = new ArrayList<>();
        try (AudioTranscoder transcoder = AudioTranscoder.toOpus(Codec.AAC, ALLOC)) {
            pushAll(transcoder, aacFrames(aac, START_DTS), out);
            assertThat(transcoder.droppedFrames()).isZero();

            byte[] head = bytes(out.get(0));
            assertThat(out.get(0).isConfig()).isTrue();
            assertThat(new String(head, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("OpusHead");
            ByteBuffer fields = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(head[9]).as("channels").isEqualTo((byte) channels);
            assertThat(fields.getShort(10)).as("pre-skip").isEqualTo((short) OPUS_LOWDELAY_PRE_SKIP);
            assertThat(fields.getInt(12)).as("input sample rate").isEqualTo(48_000);

            List<Frame> media = out.subList(1, out.size());
            assertSteps(media, START_DTS, OPUS_FRAME_MICROS);
            assertThat(media).allMatch(f -> f.codec() == Codec.OPUS && !f.isConfig() && f.isKeyframe());
            assertThat(media.size()).isCloseTo((int) (SECONDS * 50), within(3));
            // The TOC byte (RFC 6716 3.1): restricted low delay makes CELT-only packets (configs
            // 16..31), 20 ms long (config & 3 == 3), with the stereo flag set for stereo.
            assertThat(media).allSatisfy(f -> {
                int toc = f.payload().getUnsignedByte(f.payload().readerIndex());
                assertThat(toc >> 3).as("config").isBetween(16, 31);
                assertThat(toc >> 3 & 3).as("frame size code").isEqualTo(3);
                assertThat((toc & 4) != 0).as("stereo flag").isEqualTo(channels == 2);
            });

            Path ogg = Files.write(dir.resolve("out.opus"), new OggOpus(head, payloads(media)).write(960));
            assertThat(Ffmpeg.probeAudio(ogg, "codec_name")).isEqualTo("opus");
            assertTone(Pcm.decode(ogg), channels, SECONDS);
        } finally {
            release(out);
        }
    }

    /** What the hub gets from an RTMP publisher sending MP3 or G.711: FLV audio tags, one frame each. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"libmp3lame, MP3, 44100, 2", "pcm_mulaw, PCMU, 8000, 1", "pcm_alaw, PCMA, 8000, 1"})
    void otherAudioFromFlvBecomesOpusThatFfmpegPlaysAsTheSameTone(String encoder, Codec codec, int rate, int channels)
            throws Exception {
        Path flv = Ffmpeg.flvSine(dir.resolve("in.flv"), encoder, rate, channels, SECONDS);
        List<Frame> in = new ArrayList<>();
        List<Frame> out = new ArrayList<>();
        io.netty.buffer.ByteBuf bytes = io.netty.buffer.Unpooled.wrappedBuffer(Files.readAllBytes(flv));
        try (AudioTranscoder transcoder = AudioTranscoder.toOpus(codec, ALLOC)) {
            io.meshlive.media.flv.FlvReader reader = new io.meshlive.media.flv.FlvReader(bytes);
            for (io.meshlive.media.flv.FlvTag tag; (tag = reader.next()) != null; ) {
                try {
                    if (tag.type() == io.meshlive.media.flv.FlvTag.AUDIO) {
                        in.add(tag.toFrame(System.nanoTime()));
                    }
                } finally {
                    tag.release();
                }
            }
            assertThat(in).isNotEmpty().allMatch(f -> f.codec() == codec);
            pushAll(transcoder, in, out); // releases the input frames
            assertThat(transcoder.droppedFrames()).isZero();
            assertThat(out.get(0).isConfig()).isTrue();
            byte[] head = bytes(out.get(0));
            assertThat(head[9]).as("channels").isEqualTo((byte) channels);
            List<Frame> media = out.subList(1, out.size());
            assertThat(media.size()).isCloseTo((int) (SECONDS * 50), within(4));
            Path ogg = Files.write(dir.resolve("out.opus"), new OggOpus(head, payloads(media)).write(960));
            assertTone(Pcm.decode(ogg), channels, SECONDS);
        } finally {
            release(out);
            bytes.release();
        }
    }

    @Test
    void aCodecWeCannotDecodeIsRefusedUpFront() {
        assertThat(AudioTranscoder.canDecode(Codec.MP3)).isTrue();
        assertThat(AudioTranscoder.canDecode(Codec.H264)).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AudioTranscoder.toOpus(Codec.H264, ALLOC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot decode");
    }

    @ParameterizedTest(name = "{0} channel(s)")
    @ValueSource(ints = {1, 2})
    void opusBecomesAacThatFfmpegPlaysAsTheSameTone(int channels) throws Exception {
        OggOpus opus = OggOpus.parse(Files.readAllBytes(Ffmpeg.opusSine(dir.resolve("in.opus"), channels, SECONDS)));
        List<Frame> out = new ArrayList<>();
        try (AudioTranscoder transcoder = AudioTranscoder.toAac(Codec.OPUS, ALLOC)) {
            pushAll(transcoder, opusFrames(opus, true), out);
            assertThat(transcoder.droppedFrames()).isZero();
            assertAacOutput(out, channels, SECONDS);
        } finally {
            release(out);
        }
    }

    @Test
    void opusWithoutOpusHeadIsTakenAs48KhzStereo() throws Exception {
        OggOpus opus = OggOpus.parse(Files.readAllBytes(Ffmpeg.opusSine(dir.resolve("in.opus"), 2, SECONDS)));
        List<Frame> out = new ArrayList<>();
        try (AudioTranscoder transcoder = AudioTranscoder.toAac(Codec.OPUS, ALLOC)) {
            pushAll(transcoder, opusFrames(opus, false), out);
            assertAacOutput(out, 2, SECONDS);
        } finally {
            release(out);
        }
    }

    @Test
    void aacToOpusToAacKeepsTheTone() throws Exception {
        AdtsFile aac = AdtsFile.parse(Files.readAllBytes(Ffmpeg.aacSine(dir.resolve("in.aac"), 44_100, 2, SECONDS)));
        List<Frame> opus = new ArrayList<>();
        List<Frame> back = new ArrayList<>();
        try (AudioTranscoder toOpus = AudioTranscoder.toOpus(Codec.AAC, ALLOC);
             AudioTranscoder toAac = AudioTranscoder.toAac(Codec.OPUS, ALLOC)) {
            pushAll(toOpus, aacFrames(aac, START_DTS), opus);
            for (Frame frame : opus) {
                toAac.push(frame, back::add);
            }
            assertThat(toAac.droppedFrames()).isZero();
            assertAacOutput(back, 2, SECONDS);
        } finally {
            release(opus);
            release(back);
        }
    }

    @Test
    void aCorruptFrameIsSkippedAndTheOutputStaysInStep() throws Exception {
        AdtsFile aac = AdtsFile.parse(Files.readAllBytes(Ffmpeg.aacSine(dir.resolve("in.aac"), 48_000, 2, SECONDS)));
        List<Frame> in = aacFrames(aac, START_DTS);
        int corrupt = 40; // in.get(0) is the config frame
        Frame good = in.get(corrupt);
        byte[] garbage = new byte[good.payload().readableBytes()];
        Arrays.fill(garbage, (byte) 0xFF);
        in.set(corrupt, Frame.media(Codec.AAC, good.dts(), good.pts(), true, Unpooled.wrappedBuffer(garbage), 0));
        good.release();
        long lastInputEnd = in.get(in.size() - 1).dts() + aac.frameMicros();
        List<Frame> out = new ArrayList<>();
        try (AudioTranscoder transcoder = AudioTranscoder.toOpus(Codec.AAC, ALLOC)) {
            pushAll(transcoder, in, out);
            assertThat(transcoder.droppedFrames()).isEqualTo(1);
            List<Frame> media = out.subList(1, out.size());
            long[] steps = steps(media);
            assertThat(Arrays.stream(steps).filter(step -> step != OPUS_FRAME_MICROS))
                    .as("one gap, of the missing frame's length").singleElement()
                    .satisfies(step -> assertThat(step - OPUS_FRAME_MICROS).isCloseTo(aac.frameMicros(), within(1_000L)));
            long lastOutputEnd = media.get(media.size() - 1).dts() + OPUS_FRAME_MICROS;
            assertThat(lastInputEnd - lastOutputEnd).as("still in step with the input").isBetween(0L, 2 * OPUS_FRAME_MICROS);
        } finally {
            release(out);
        }
    }

    @ParameterizedTest(name = "jump to {0} µs")
    @ValueSource(longs = {13_000_000, 0})
    void aJumpInTheInputMovesTheOutputWithIt(long jumpTo) throws Exception {
        AdtsFile aac = AdtsFile.parse(Files.readAllBytes(Ffmpeg.aacSine(dir.resolve("in.aac"), 48_000, 2, SECONDS)));
        List<Frame> first = aacFrames(aac, START_DTS);
        List<Frame> second = aacFrames(aac, jumpTo);
        second.remove(0).release(); // the same config: a publisher that came back
        List<Frame> out = new ArrayList<>();
        try (AudioTranscoder transcoder = AudioTranscoder.toOpus(Codec.AAC, ALLOC)) {
            pushAll(transcoder, first, out);
            int beforeJump = out.size();
            pushAll(transcoder, second, out);
            assertThat(out.stream().filter(Frame::isConfig)).as("one config frame").hasSize(1);
            List<Frame> media = out.subList(1, out.size());
            long[] steps = steps(media);
            int jumps = 0;
            for (int i = 0; i < steps.length; i++) {
                if (steps[i] != OPUS_FRAME_MICROS) {
                    jumps++;
                    assertThat(i + 1).as("the jump comes out after what was pushed before it").isGreaterThanOrEqualTo(beforeJump - 1);
                    assertThat(media.get(i + 1).dts() - jumpTo).as("first dts after the jump")
                            .isBetween(0L, OPUS_FRAME_MICROS);
                }
            }
            assertThat(jumps).isEqualTo(1);
            assertThat(media.get(media.size() - 1).dts()).isCloseTo(jumpTo + (long) (SECONDS * 1e6), within(2 * aac.frameMicros()));
        } finally {
            release(out);
        }
    }

    @Test
    void aNewConfigReopensTheDecoderAndANewChannelCountTheEncoder() throws Exception {
        AdtsFile stereo = AdtsFile.parse(Files.readAllBytes(Ffmpeg.aacSine(dir.resolve("s.aac"), 44_100, 2, 1)));
        AdtsFile mono = AdtsFile.parse(Files.readAllBytes(Ffmpeg.aacSine(dir.resolve("m.aac"), 48_000, 1, 1)));
        List<Frame> out = new ArrayList<>();
        try (AudioTranscoder transcoder = AudioTranscoder.toOpus(Codec.AAC, ALLOC)) {
            pushAll(transcoder, aacFrames(stereo, START_DTS), out);
            long monoStart = START_DTS + 2_000_000;
            pushAll(transcoder, aacFrames(mono, monoStart), out);
            assertThat(transcoder.droppedFrames()).isZero();
            List<Frame> configs = out.stream().filter(Frame::isConfig).toList();
            assertThat(configs).hasSize(2);
            assertThat(bytes(configs.get(0))[9]).as("channels").isEqualTo((byte) 2);
            assertThat(bytes(configs.get(1))[9]).as("channels").isEqualTo((byte) 1);
            assertThat(configs.get(1).dts()).isEqualTo(monoStart);
            List<Frame> monoMedia = out.subList(out.indexOf(configs.get(1)) + 1, out.size());
            assertSteps(monoMedia, monoStart, OPUS_FRAME_MICROS);
        } finally {
            release(out);
        }
    }

    @Test
    void aacBeforeItsConfigIsDropped() throws Exception {
        AdtsFile aac = AdtsFile.parse(Files.readAllBytes(Ffmpeg.aacSine(dir.resolve("in.aac"), 48_000, 2, 0.2)));
        List<Frame> in = aacFrames(aac, START_DTS);
        in.remove(0).release();
        List<Frame> out = new ArrayList<>();
        try (AudioTranscoder transcoder = AudioTranscoder.toOpus(Codec.AAC, ALLOC)) {
            int count = in.size();
            pushAll(transcoder, in, out);
            assertThat(out).isEmpty();
            assertThat(transcoder.droppedFrames()).isEqualTo(count);
        } finally {
            release(out);
        }
    }

    @Test
    void anUnusableConfigSaysWhatFfmpegSaid() {
        Frame config = Frame.config(Codec.AAC, 0, Unpooled.wrappedBuffer(new byte[] {(byte) 0xF8, 0x00}), 0);
        try (AudioTranscoder transcoder = AudioTranscoder.toOpus(Codec.AAC, ALLOC)) {
            assertThatThrownBy(() -> transcoder.push(config, frame -> frame.release()))
                    .isInstanceOf(TranscodeException.class)
                    .hasMessageStartingWith("open aac decoder: ")
                    .hasMessageNotContaining("unknown error");
        } finally {
            config.release();
        }
    }

    @Test
    void closeIsIdempotentAndEndsTheTranscoder() {
        AudioTranscoder transcoder = AudioTranscoder.toAac(Codec.OPUS, ALLOC);
        transcoder.close();
        transcoder.close();
        Frame opus = Frame.media(Codec.OPUS, 0, 0, true, Unpooled.wrappedBuffer(new byte[] {(byte) 0xFC}), 0);
        try {
            assertThatThrownBy(() -> transcoder.push(opus, Frame::release)).isInstanceOf(IllegalStateException.class);
        } finally {
            opus.release();
        }
    }

    @Test
    void refusesAnotherCodec() {
        Frame mp3 = Frame.media(Codec.MP3, 0, 0, true, Unpooled.wrappedBuffer(new byte[4]), 0);
        try (AudioTranscoder transcoder = AudioTranscoder.toOpus(Codec.AAC, ALLOC)) {
            assertThatThrownBy(() -> transcoder.push(mp3, Frame::release)).isInstanceOf(IllegalArgumentException.class);
        } finally {
            mp3.release();
        }
    }

    private void assertAacOutput(List<Frame> out, int channels, double seconds) throws IOException {
        assertThat(out.get(0).isConfig()).isTrue();
        AacConfig config = AacConfig.parse(out.get(0).payload());
        assertThat(config).isEqualTo(new AacConfig(2, 48_000, channels));
        List<Frame> media = out.subList(1, out.size());
        assertSteps(media, out.get(0).dts(), AAC_48K_FRAME_MICROS);
        Path file = Files.write(dir.resolve("out.aac"), AdtsFile.write(config, payloads(media)));
        assertThat(Ffmpeg.probeAudio(file, "codec_name")).isEqualTo("aac");
        assertTone(Pcm.decode(file), channels, seconds);
    }

    /** Consecutive dts step by {@code step} (within the microsecond rounding), from {@code first}. */
    private static void assertSteps(List<Frame> media, long first, long step) {
        assertThat(media).isNotEmpty();
        assertThat(media.get(0).dts()).as("first dts").isEqualTo(first);
        assertThat(Arrays.stream(steps(media))).as("dts steps").allSatisfy(s -> assertThat(s).isCloseTo(step, within(1L)));
    }

    private static long[] steps(List<Frame> media) {
        long[] steps = new long[media.size() - 1];
        for (int i = 1; i < media.size(); i++) {
            steps[i - 1] = media.get(i).dts() - media.get(i - 1).dts();
        }
        return steps;
    }

    private static void assertTone(Pcm pcm, int channels, double seconds) {
        assertThat(pcm.channels()).isEqualTo(channels);
        assertThat(pcm.seconds()).as("duration").isCloseTo(seconds, within(0.08));
        for (int c = 0; c < channels; c++) {
            assertThat(pcm.frequency(c, 0.2)).as("tone in channel %d", c).isCloseTo(1000, within(2.0));
            assertThat(pcm.rms(c, 0.2)).as("level in channel %d", c).isGreaterThan(1500);
        }
    }

    /** The config frame, then one media frame per access unit, dts from {@code firstDts}. */
    static List<Frame> aacFrames(AdtsFile aac, long firstDts) {
        List<Frame> frames = new ArrayList<>();
        frames.add(Frame.config(Codec.AAC, firstDts, copy(aac.audioSpecificConfig()), System.nanoTime()));
        for (int i = 0; i < aac.accessUnits().size(); i++) {
            long dts = firstDts + i * aac.frameMicros();
            frames.add(Frame.media(Codec.AAC, dts, dts, true, copy(aac.accessUnits().get(i)), System.nanoTime()));
        }
        return frames;
    }

    /** The OpusHead config frame (when {@code withHead}), then one media frame per 20 ms packet. */
    static List<Frame> opusFrames(OggOpus opus, boolean withHead) {
        List<Frame> frames = new ArrayList<>();
        if (withHead) {
            frames.add(Frame.config(Codec.OPUS, START_DTS, copy(opus.head()), System.nanoTime()));
        }
        for (int i = 0; i < opus.packets().size(); i++) {
            long dts = START_DTS + i * OPUS_FRAME_MICROS;
            frames.add(Frame.media(Codec.OPUS, dts, dts, true, copy(opus.packets().get(i)), System.nanoTime()));
        }
        return frames;
    }

    /** Pushes every frame of {@code in} and releases it; outputs go to {@code out}. */
    static void pushAll(AudioTranscoder transcoder, List<Frame> in, List<Frame> out) throws TranscodeException {
        try {
            for (Frame frame : in) {
                transcoder.push(frame, out::add);
            }
        } finally {
            release(in);
        }
    }

    static void release(List<Frame> frames) {
        frames.forEach(Frame::release);
    }

    private static io.netty.buffer.ByteBuf copy(byte[] bytes) {
        return ALLOC.buffer(bytes.length).writeBytes(bytes);
    }

    private static byte[] bytes(Frame frame) {
        return ByteBufUtil.getBytes(frame.payload());
    }

    private static List<byte[]> payloads(List<Frame> media) {
        return media.stream().map(AudioTranscoderTest::bytes).toList();
    }
}
