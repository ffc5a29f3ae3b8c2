package io.meshlive.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ffmpeg and ffprobe command lines the tests use, and what they read back from them. Every
 * process either is handed to the caller to close, or is awaited here with a time limit and killed.
 */
final class Ffmpeg {
    private static final String FFMPEG = "/usr/bin/ffmpeg";
    private static final String FFPROBE = "/usr/bin/ffprobe";
    private static final Duration PROBE_LIMIT = Duration.ofSeconds(20);
    private static final Pattern FRAME = Pattern.compile("(?m)^frame=(\\d+)$");

    private Ffmpeg() {
    }

    /** What ffprobe says about one stream of a source. */
    record ProbedStream(String type, String codec, int width, int height) {
    }

    /** The outcome of pulling a source into ffmpeg's null muxer. */
    record Pull(int exitCode, long frames, String errors, String description) {
    }

    /** Publishes {@code source} live, in real time, until the returned process is closed. */
    static ExternalProcess publish(TestPattern source, String url) {
        List<String> cmd = ffmpeg("warning");
        cmd.addAll(source.inputs(true));
        cmd.addAll(source.encoding());
        cmd.addAll(List.of("-f", "flv", url));
        return ExternalProcess.start("ffmpeg-publish", cmd);
    }

    /** Writes {@code length} of {@code source} to an mp4 or flv file (by its name), as fast as the encoder goes. */
    static void record(TestPattern source, Duration length, Path file) {
        List<String> cmd = ffmpeg("error");
        cmd.add("-y");
        cmd.addAll(source.inputs(false));
        cmd.addAll(List.of("-t", seconds(length)));
        cmd.addAll(source.encoding());
        if (file.toString().endsWith(".mp4")) {
            cmd.addAll(List.of("-movflags", "+faststart"));
        }
        cmd.add(file.toString());
        try (ExternalProcess p = ExternalProcess.start("ffmpeg-record", cmd)) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).as("recording %s: %s", file, p.describe()).isZero();
        }
    }

    /** Publishes a file without re-encoding (-c copy), looped forever, in real time. */
    static ExternalProcess publishCopy(Path file, String url) {
        List<String> cmd = ffmpeg("warning");
        cmd.addAll(List.of("-re", "-stream_loop", "-1", "-i", file.toString(), "-c", "copy", "-f", "flv", url));
        return ExternalProcess.start("ffmpeg-copy", cmd);
    }

    /** Plays {@code url} into the null muxer until the server ends the stream (or the process is closed). */
    static ExternalProcess play(String url) {
        List<String> cmd = ffmpeg("error");
        cmd.addAll(List.of("-i", url, "-f", "null", "-"));
        return ExternalProcess.start("ffmpeg-play", cmd);
    }

    /**
     * Decodes {@code length} of {@code url} (output time) and counts the video frames. Errors are
     * what ffmpeg printed at level "error": decode errors, bad timestamps, protocol failures.
     */
    static Pull pull(String url, Duration length) {
        List<String> cmd = ffmpeg("error");
        cmd.addAll(List.of("-progress", "pipe:1", "-i", url, "-t", seconds(length), "-f", "null", "-"));
        try (ExternalProcess p = ExternalProcess.start("ffmpeg-pull", cmd)) {
            int exit = p.awaitExit(length.plus(Duration.ofSeconds(15)));
            Matcher m = FRAME.matcher(p.stdout());
            long frames = -1;
            while (m.find()) {
                frames = Long.parseLong(m.group(1)); // progress blocks repeat; the last is the total
            }
            return new Pull(exit, frames, p.stderr().strip(), p.describe());
        }
    }

    /** The streams ffprobe finds in {@code url}; fails the test, quoting ffprobe, if it cannot probe. */
    static List<ProbedStream> probe(String url) {
        List<String> cmd = List.of(FFPROBE, "-hide_banner", "-v", "error",
                "-show_entries", "stream=codec_type,codec_name,width,height", "-of", "json", url);
        try (ExternalProcess p = ExternalProcess.start("ffprobe", cmd)) {
            assertThat(p.awaitExit(PROBE_LIMIT)).as("ffprobe of %s: %s", url, p.describe()).isZero();
            List<ProbedStream> streams = new ArrayList<>();
            for (JsonNode s : new ObjectMapper().readTree(p.stdout()).path("streams")) {
                streams.add(new ProbedStream(s.path("codec_type").asText(), s.path("codec_name").asText(),
                        s.path("width").asInt(), s.path("height").asInt()));
            }
            return streams;
        } catch (IOException e) {
            throw new AssertionError("ffprobe of " + url + " printed no JSON", e);
        }
    }

    /**
     * The presentation times (seconds) of the video keyframes ffprobe reads in the first
     * {@code seconds} of {@code url}, decoding nothing but keyframes.
     */
    static List<Double> keyframeTimes(String url, int seconds) {
        List<String> cmd = List.of(FFPROBE, "-hide_banner", "-v", "error", "-select_streams", "v:0",
                "-read_intervals", "%+" + seconds, "-skip_frame", "nokey",
                "-show_entries", "frame=pts_time", "-of", "csv=p=0", url);
        try (ExternalProcess p = ExternalProcess.start("ffprobe-keyframes", cmd)) {
            assertThat(p.awaitExit(PROBE_LIMIT.plusSeconds(seconds))).as("ffprobe of %s: %s", url, p.describe()).isZero();
            List<Double> times = new ArrayList<>();
            for (String line : p.stdout().split("\n")) {
                if (!line.isBlank()) {
                    times.add(Double.parseDouble(line.strip().replace(",", "")));
                }
            }
            return times;
        }
    }

    private static List<String> ffmpeg(String logLevel) {
        return new ArrayList<>(List.of(FFMPEG, "-nostdin", "-hide_banner", "-loglevel", logLevel));
    }

    private static String seconds(Duration d) {
        return String.valueOf(d.toMillis() / 1000.0);
    }
}
