package io.meshlive.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ffmpeg and ffprobe command lines the tests use: live publishers and players, media files
 * made from lavfi sources, and what ffprobe reads back. Every process either is handed to the
 * caller to close, or is awaited here with a time limit and killed; a failure quotes its stderr.
 */
public final class Ffmpeg {
    private static final String FFMPEG = "/usr/bin/ffmpeg";
    private static final String FFPROBE = "/usr/bin/ffprobe";
    private static final Duration PROBE_LIMIT = Duration.ofSeconds(20);
    /** For making a short file from a lavfi source: seconds of media, encoded as fast as it goes. */
    private static final Duration MAKE_LIMIT = Duration.ofSeconds(60);
    private static final Pattern FRAME = Pattern.compile("(?m)^frame=(\\d+)$");

    private Ffmpeg() {
    }

    /** What ffprobe says about one stream of a source. */
    public record ProbedStream(String type, String codec, int width, int height) {
    }

    /** The outcome of pulling a source into ffmpeg's null muxer. */
    public record Pull(int exitCode, long frames, String errors, String description) {
    }

    /** Publishes {@code source} live, in real time, until the returned process is closed. */
    public static ExternalProcess publish(TestPattern source, String url) {
        List<String> cmd = ffmpeg("warning");
        cmd.addAll(source.inputs(true));
        cmd.addAll(source.encoding());
        cmd.addAll(List.of("-f", "flv", url));
        return ExternalProcess.start("ffmpeg-publish", cmd);
    }

    /** Writes {@code length} of {@code source} to an mp4 or flv file (by its name), as fast as the encoder goes. */
    public static void record(TestPattern source, Duration length, Path file) {
        List<String> cmd = ffmpeg("error");
        cmd.add("-y");
        cmd.addAll(source.inputs(false));
        cmd.addAll(List.of("-t", seconds(length)));
        cmd.addAll(source.encoding());
        if (file.toString().endsWith(".mp4")) {
            cmd.addAll(List.of("-movflags", "+faststart"));
        }
        cmd.add(file.toString());
        ExternalProcess.run("ffmpeg-record", cmd, MAKE_LIMIT);
    }

    /** Publishes a file without re-encoding (-c copy), looped forever, in real time. */
    public static ExternalProcess publishCopy(Path file, String url) {
        List<String> cmd = ffmpeg("warning");
        cmd.addAll(List.of("-re", "-stream_loop", "-1", "-i", file.toString(), "-c", "copy", "-f", "flv", url));
        return ExternalProcess.start("ffmpeg-copy", cmd);
    }

    /** Plays {@code url} into the null muxer until the server ends the stream (or the process is closed). */
    public static ExternalProcess play(String url) {
        List<String> cmd = ffmpeg("error");
        cmd.addAll(List.of("-i", url, "-f", "null", "-"));
        return ExternalProcess.start("ffmpeg-play", cmd);
    }

    /**
     * Decodes {@code length} of {@code url} (output time) and counts the video frames. Errors are
     * what ffmpeg printed at level "error": decode errors, bad timestamps, protocol failures.
     */
    public static Pull pull(String url, Duration length) {
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
    public static List<ProbedStream> probe(String url) {
        List<String> cmd = List.of(FFPROBE, "-hide_banner", "-v", "error",
                "-show_entries", "stream=codec_type,codec_name,width,height", "-of", "json", url);
        byte[] json = ExternalProcess.run("ffprobe", cmd, PROBE_LIMIT);
        try {
            List<ProbedStream> streams = new ArrayList<>();
            for (JsonNode s : new ObjectMapper().readTree(json).path("streams")) {
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
    public static List<Double> keyframeTimes(String url, int seconds) {
        List<String> cmd = List.of(FFPROBE, "-hide_banner", "-v", "error", "-select_streams", "v:0",
                "-read_intervals", "%+" + seconds, "-skip_frame", "nokey",
                "-show_entries", "frame=pts_time", "-of", "csv=p=0", url);
        String csv = new String(ExternalProcess.run("ffprobe-keyframes", cmd, PROBE_LIMIT.plusSeconds(seconds)), StandardCharsets.US_ASCII);
        List<Double> times = new ArrayList<>();
        for (String line : csv.split("\n")) {
            if (!line.isBlank()) {
                times.add(Double.parseDouble(line.strip().replace(",", "")));
            }
        }
        return times;
    }

    /** A {@code seconds}-long 1 kHz sine, AAC-LC in ADTS, written to {@code file}. */
    public static Path aacSine(Path file, int sampleRate, int channels, double seconds) {
        make(file, "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=" + sampleRate + ":duration=" + seconds,
                "-ac", String.valueOf(channels), "-c:a", "aac", "-b:a", "128k", "-f", "adts");
        return file;
    }

    /** A {@code seconds}-long 1 kHz sine in FLV with audio codec {@code codec} (libmp3lame, pcm_mulaw...). */
    public static Path flvSine(Path file, String codec, int sampleRate, int channels, double seconds) {
        make(file, "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=" + sampleRate + ":duration=" + seconds,
                "-ac", String.valueOf(channels), "-ar", String.valueOf(sampleRate), "-c:a", codec, "-f", "flv");
        return file;
    }

    /** A {@code seconds}-long 1 kHz sine, libopus in Ogg (20 ms packets), written to {@code file}. */
    public static Path opusSine(Path file, int channels, double seconds) {
        make(file, "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000:duration=" + seconds,
                "-ac", String.valueOf(channels), "-c:a", "libopus", "-b:a", "64k", "-frame_duration", "20", "-f", "ogg");
        return file;
    }

    /** One frame of lavfi's testsrc2 at {@code width}x{@code height}, H.264 (libx264) in FLV, written to {@code file}. */
    public static Path h264Picture(Path file, int width, int height) {
        make(file, "-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=30", "-frames:v", "1",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-f", "flv");
        return file;
    }

    /** What ffprobe says of the first video stream of {@code file}: {@code codec_name,width,height}. */
    public static String probeVideo(Path file) {
        return ascii(ExternalProcess.run("ffprobe", List.of(FFPROBE, "-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,width,height", "-of", "csv=p=0", file.toString()), PROBE_LIMIT));
    }

    /** One field of the first audio stream, as ffprobe prints it ({@code codec_name}, {@code channels}...). */
    public static String probeAudio(Path file, String field) {
        return ascii(ExternalProcess.run("ffprobe", List.of(FFPROBE, "-v", "error", "-select_streams", "a:0", "-show_entries",
                "stream=" + field, "-of", "default=noprint_wrappers=1:nokey=1", file.toString()), PROBE_LIMIT));
    }

    /** {@code file}'s audio decoded to interleaved signed 16-bit PCM at its own rate and channel count. */
    public static byte[] decodeToS16(Path file) {
        List<String> cmd = ffmpeg("error");
        cmd.addAll(List.of("-i", file.toString(), "-f", "s16le", "-acodec", "pcm_s16le", "-"));
        return ExternalProcess.run("ffmpeg-decode", cmd, MAKE_LIMIT);
    }

    /** Runs ffmpeg with {@code args} writing {@code file} (overwritten). */
    private static void make(Path file, String... args) {
        List<String> cmd = ffmpeg("error");
        cmd.add("-y");
        cmd.addAll(List.of(args));
        cmd.add(file.toString());
        ExternalProcess.run("ffmpeg-make", cmd, MAKE_LIMIT);
    }

    private static String ascii(byte[] out) {
        return new String(out, StandardCharsets.US_ASCII).trim();
    }

    private static List<String> ffmpeg(String logLevel) {
        return new ArrayList<>(List.of(FFMPEG, "-nostdin", "-hide_banner", "-loglevel", logLevel));
    }

    private static String seconds(Duration d) {
        return String.valueOf(d.toMillis() / 1000.0);
    }
}
