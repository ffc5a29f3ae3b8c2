package io.meshlive.transcode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The ffmpeg and ffprobe command-line tools, which make the tests' inputs and judge their outputs. */
final class Ffmpeg {
    private Ffmpeg() {
    }

    /** A {@code seconds}-long 1 kHz sine, AAC-LC in ADTS, written to {@code file}. */
    static Path aacSine(Path file, int sampleRate, int channels, double seconds) {
        ffmpeg("-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=" + sampleRate + ":duration=" + seconds,
                "-ac", String.valueOf(channels), "-c:a", "aac", "-b:a", "128k", "-f", "adts", file.toString());
        return file;
    }

    /** A {@code seconds}-long 1 kHz sine in FLV with audio codec {@code codec} (libmp3lame, pcm_mulaw...). */
    static Path flvSine(Path file, String codec, int sampleRate, int channels, double seconds) {
        ffmpeg("-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=" + sampleRate + ":duration=" + seconds,
                "-ac", String.valueOf(channels), "-ar", String.valueOf(sampleRate), "-c:a", codec, "-f", "flv", file.toString());
        return file;
    }

    /** A {@code seconds}-long 1 kHz sine, libopus in Ogg (20 ms packets), written to {@code file}. */
    static Path opusSine(Path file, int channels, double seconds) {
        ffmpeg("-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000:duration=" + seconds,
                "-ac", String.valueOf(channels), "-c:a", "libopus", "-b:a", "64k", "-frame_duration", "20",
                "-f", "ogg", file.toString());
        return file;
    }

    /** One frame of lavfi's testsrc2 at {@code width}x{@code height}, H.264 (libx264) in FLV, written to {@code file}. */
    static Path h264Picture(Path file, int width, int height) {
        ffmpeg("-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=30", "-frames:v", "1",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-f", "flv", file.toString());
        return file;
    }

    /** What ffprobe says of the first video stream of {@code file}: {@code codec_name,width,height}. */
    static String probeVideo(Path file) {
        return new String(run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=codec_name,width,height", "-of", "csv=p=0", file.toString())), StandardCharsets.US_ASCII).trim();
    }

    /** {@code file} decoded by ffmpeg to interleaved signed 16-bit PCM at its own rate and channel count. */
    static Pcm decode(Path file) {
        int channels = Integer.parseInt(probe(file, "channels"));
        int rate = Integer.parseInt(probe(file, "sample_rate"));
        byte[] samples = run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", file.toString(),
                "-f", "s16le", "-acodec", "pcm_s16le", "-"));
        return new Pcm(samples, rate, channels);
    }

    /** One field of the first audio stream, as ffprobe prints it ({@code codec_name}, {@code channels}...). */
    static String probe(Path file, String field) {
        return new String(run(List.of("ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                "stream=" + field, "-of", "default=noprint_wrappers=1:nokey=1", file.toString())),
                StandardCharsets.US_ASCII).trim();
    }

    private static void ffmpeg(String... args) {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y"));
        command.addAll(List.of(args));
        run(command);
    }

    private static byte[] run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            CompletableFuture<byte[]> errors = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            byte[] out = readAll(process.getInputStream());
            int status = process.waitFor();
            if (status != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + status + ": "
                        + new String(errors.join(), StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
