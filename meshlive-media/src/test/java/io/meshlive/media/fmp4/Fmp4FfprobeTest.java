package io.meshlive.media.fmp4;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.TrackType;
import io.meshlive.media.flv.FlvReader;
import io.meshlive.media.flv.FlvTag;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Muxes the H.264/AAC test file (320x180, 25 fps, 50 frames, 2 GOPs; 88 AAC frames at 44.1 kHz)
 * into init + ~0.5 s fragments and lets ffprobe and ffmpeg, real clients, judge the result.
 */
class Fmp4FfprobeTest {
    private static final long PART_MICROS = 500_000;
    private static final long VIDEO_FRAME_MICROS = 40_000;

    @TempDir
    Path dir;

    @Test
    void ffmpegDecodesEveryFrameWithSteadyTimestamps() throws Exception {
        Path mp4 = dir.resolve("h264_aac.mp4");
        List<Frame> frames = readFlv();
        try {
            Files.write(mp4, mux(frames));
        } finally {
            frames.forEach(Frame::release);
        }

        String streams = run("ffprobe", "-v", "error", "-count_frames",
                "-show_entries", "stream=codec_name,width,height,nb_read_frames", "-of", "json", mp4.toString());
        assertThat(streams.replaceAll("\\s", ""))
                .contains("\"codec_name\":\"h264\",\"width\":320,\"height\":180,\"nb_read_frames\":\"50\"")
                .contains("\"codec_name\":\"aac\"");

        assertThat(run("ffmpeg", "-v", "error", "-i", mp4.toString(), "-f", "null", "-")).isEmpty();

        assertSteady(packetDts(mp4, "v"), VIDEO_FRAME_MICROS / 1e6);
        // FLV's millisecond clock rounds 23.2 ms to 23 or 24; the fMP4 timeline is exact all the same:
        // every AAC frame lasts 1024 samples, also across fragments.
        List<Double> audioDts = packetDts(mp4, "a");
        for (int i = 1; i < audioDts.size(); i++) {
            assertThat((audioDts.get(i) - audioDts.get(i - 1)) * 44_100).as("audio samples in frame %d", i - 1)
                    .isCloseTo(1024.0, org.assertj.core.data.Offset.offset(0.1));
        }
    }

    /** Init, then one fragment per ~0.5 s of video starting at every keyframe, audio cut at the same dts. */
    private static byte[] mux(List<Frame> frames) {
        Frame videoConfig = frames.stream().filter(f -> f.codec() == Codec.H264 && f.isConfig()).findFirst().orElseThrow();
        Frame audioConfig = frames.stream().filter(f -> f.codec() == Codec.AAC && f.isConfig()).findFirst().orElseThrow();
        List<Frame> video = frames.stream().filter(f -> f.codec() == Codec.H264 && !f.isConfig()).toList();
        List<Frame> audio = frames.stream().filter(f -> f.codec() == Codec.AAC && !f.isConfig()).toList();
        SampleClock videoClock = SampleClock.video();
        SampleClock audioClock = SampleClock.of(audioConfig);
        ByteBuf out = Unpooled.buffer();
        try {
            Fmp4Init.write(videoConfig, audioConfig, out);
            List<Integer> cuts = new ArrayList<>();
            for (int i = 0; i < video.size(); i++) {
                Frame f = video.get(i);
                if (i == 0 || f.isKeyframe() || f.dts() - video.get(cuts.get(cuts.size() - 1)).dts() >= PART_MICROS) {
                    cuts.add(i);
                }
            }
            cuts.add(video.size());
            assertThat(cuts).hasSizeGreaterThan(4);
            int audioFrom = 0;
            for (int c = 0; c + 1 < cuts.size(); c++) {
                List<Frame> part = video.subList(cuts.get(c), cuts.get(c + 1));
                boolean last = c + 2 == cuts.size();
                long videoEnd = last ? video.get(video.size() - 1).dts() + VIDEO_FRAME_MICROS : video.get(cuts.get(c + 1)).dts();
                int audioTo = audioFrom;
                while (audioTo < audio.size() && (last || audio.get(audioTo).dts() < videoEnd)) {
                    audioTo++;
                }
                long audioEnd = audioTo < audio.size() ? audio.get(audioTo).dts() : Fmp4Fragment.ONE_FRAME_ON;
                Fmp4Fragment.write(c + 1, part, videoEnd, videoClock, audio.subList(audioFrom, audioTo), audioEnd, audioClock, List.of(), out);
                audioFrom = audioTo;
            }
            assertThat(audioFrom).isEqualTo(audio.size());
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return bytes;
        } finally {
            out.release();
        }
    }

    private static List<Frame> readFlv() throws IOException {
        byte[] file;
        try (InputStream in = Fmp4FfprobeTest.class.getResourceAsStream("/io/meshlive/media/flv/h264_aac.flv")) {
            file = in.readAllBytes();
        }
        ByteBuf flv = Unpooled.wrappedBuffer(file);
        List<Frame> frames = new ArrayList<>();
        try {
            FlvReader reader = new FlvReader(flv);
            for (FlvTag tag = reader.next(); tag != null; tag = reader.next()) {
                try {
                    Frame frame = tag.toFrame(System.nanoTime());
                    if (frame == null) {
                        continue;
                    }
                    if (frame.track() == TrackType.DATA) {
                        frame.release();
                    } else {
                        frames.add(frame);
                    }
                } finally {
                    tag.release();
                }
            }
        } catch (RuntimeException e) {
            frames.forEach(Frame::release);
            throw e;
        } finally {
            flv.release();
        }
        return frames;
    }

    private List<Double> packetDts(Path mp4, String stream) throws Exception {
        String csv = run("ffprobe", "-v", "error", "-select_streams", stream,
                "-show_entries", "packet=dts_time,pts_time", "-of", "csv=p=0", mp4.toString());
        List<Double> dts = new ArrayList<>();
        for (String line : csv.strip().split("\n")) {
            String[] fields = line.split(",");
            assertThat(fields).as("pts and dts on %s", line).hasSize(2).doesNotContain("N/A");
            dts.add(Double.parseDouble(fields[1]));
        }
        return dts;
    }

    private static void assertSteady(List<Double> dts, double frame) {
        assertThat(dts).hasSizeGreaterThan(1);
        for (int i = 1; i < dts.size(); i++) {
            double step = dts.get(i) - dts.get(i - 1);
            assertThat(step).as("dts step %d -> %d", i - 1, i).isPositive().isLessThanOrEqualTo(frame + 1e-6);
        }
    }

    /** Runs a tool to completion and returns its standard output; fails on a non-zero exit or any stderr. */
    private String run(String... command) throws Exception {
        Path err = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        String stderr = Files.readString(err);
        assertThat(process.exitValue()).as("%s exit, stderr: %s", command[0], stderr).isZero();
        assertThat(stderr).as("%s stderr", command[0]).isEmpty();
        return stdout;
    }
}
