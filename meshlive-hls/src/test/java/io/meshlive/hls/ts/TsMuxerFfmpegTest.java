package io.meshlive.hls.ts;

import io.meshlive.media.Frame;
import io.meshlive.media.TrackType;
import io.meshlive.media.flv.FlvReader;
import io.meshlive.media.flv.FlvTag;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Muxes a real FLV recording and lets ffprobe and ffmpeg, the reference demuxer, judge the result. */
class TsMuxerFfmpegTest {
    private static final Path FLV = Path.of("../meshlive-media/src/test/resources/io/meshlive/media/flv/h264_aac.flv");

    @Test
    void ffmpegDecodesTheMuxedFileWithoutErrors(@TempDir Path dir) throws Exception {
        Path ts = dir.resolve("h264_aac.ts");
        int videoFrames = mux(ts, List.of());
        assertThat(videoFrames).isEqualTo(50);

        String streams = run("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height",
                "-of", "json", ts.toString());
        assertThat(streams.replaceAll("\\s", ""))
                .contains("\"codec_name\":\"h264\",\"width\":320,\"height\":180")
                .contains("\"codec_name\":\"aac\"");
        assertThat(run("ffmpeg", "-v", "error", "-i", ts.toString(), "-f", "null", "-")).isEmpty();
        // ffprobe lists the stream twice for TS, under its program and on its own.
        assertThat(run("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", ts.toString())
                .lines().filter(line -> !line.isBlank()).distinct())
                .containsExactly(String.valueOf(videoFrames));
    }

    @Test
    void ffprobeSeesCuesAsTimedId3AtTheirFramesPts(@TempDir Path dir) throws Exception {
        Path ts = dir.resolve("cues.ts");
        List<Long> ptsOfCues = new ArrayList<>();
        mux(ts, ptsOfCues);
        assertThat(run("ffprobe", "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", ts.toString()))
                .contains("timed_id3");
        // ffprobe reads the PES headers: assert on PTS and count (Debian's ffmpeg 5.1 trims such payloads on remux).
        List<Long> probed = run("ffprobe", "-v", "error", "-select_streams", "d", "-show_entries", "packet=pts",
                "-of", "csv=p=0", ts.toString()).lines().filter(l -> !l.isBlank()).map(l -> Long.parseLong(l.replace(",", "").trim())).toList();
        assertThat(probed).isEqualTo(ptsOfCues.stream().map(us -> us * 9 / 100).toList());
    }

    /**
     * Writes the FLV's frames as one TS file, checks its framing, and returns how many video frames
     * went in; before every tenth video frame goes a cue at its pts, whose pts (µs) {@code cues} collects.
     */
    private static int mux(Path ts, List<Long> cues) throws IOException {
        ByteBuf flv = Unpooled.wrappedBuffer(Files.readAllBytes(FLV));
        List<Frame> frames = new ArrayList<>();
        Frame videoConfig = null;
        Frame audioConfig = null;
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            FlvReader reader = new FlvReader(flv);
            for (FlvTag tag = reader.next(); tag != null; tag = reader.next()) {
                Frame frame = tag.toFrame(0);
                tag.release();
                if (frame == null) {
                    continue;
                }
                if (frame.isConfig() && frame.track() == TrackType.VIDEO && videoConfig == null) {
                    videoConfig = frame;
                } else if (frame.isConfig() && frame.track() == TrackType.AUDIO && audioConfig == null) {
                    audioConfig = frame;
                } else {
                    frames.add(frame);
                }
            }
            TsMuxer muxer = new TsMuxer(videoConfig, audioConfig);
            ByteBuf tables = muxer.segmentStart(ByteBufAllocator.DEFAULT);
            out.writeBytes(tables);
            tables.release();
            int videoFrames = 0;
            for (Frame frame : frames) {
                if (cues instanceof ArrayList<Long> collect && frame.track() == TrackType.VIDEO && videoFrames % 10 == 0) {
                    muxer.writeCue(new io.meshlive.media.cue.Cue(String.valueOf(videoFrames), "product", "{\"n\":\"ü\"}",
                            frame.pts(), 0, 0, false, false), out);
                    collect.add(frame.pts());
                }
                muxer.write(frame, out);
                if (frame.track() == TrackType.VIDEO && !frame.isConfig()) {
                    videoFrames++;
                }
            }
            assertThat(TsPackets.checkFraming(out)).isEqualTo(out.readableBytes() / 188);
            try (var file = Files.newOutputStream(ts)) {
                out.readBytes(file, out.readableBytes());
            }
            return videoFrames;
        } finally {
            out.release();
            frames.forEach(Frame::release);
            if (videoConfig != null) {
                videoConfig.release();
            }
            if (audioConfig != null) {
                audioConfig.release();
            }
            flv.release();
        }
    }

    /** Runs a command and returns what it printed on stdout and stderr together. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("exit status of %s", command[0]).isZero();
        return new String(output, StandardCharsets.UTF_8);
    }
}
