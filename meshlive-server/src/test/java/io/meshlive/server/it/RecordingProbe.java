package io.meshlive.server.it;

import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What ffprobe and ffmpeg say about a recording file: its codecs, its duration, whether its first
 * video frame is a keyframe, and whether it decodes to the end without an error.
 */
record RecordingProbe(Path file, List<String> codecs, double durationSeconds, boolean startsWithKeyframe,
                      long decodedVideoFrames, String decodeErrors) {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    static RecordingProbe of(Path file) {
        JsonNode format = json(List.of("/usr/bin/ffprobe", "-hide_banner", "-v", "error",
                "-show_entries", "format=duration:stream=codec_name", "-of", "json", file.toString()));
        List<String> codecs = new ArrayList<>();
        format.path("streams").forEach(s -> codecs.add(s.path("codec_name").asText()));
        JsonNode first = json(List.of("/usr/bin/ffprobe", "-hide_banner", "-v", "error", "-select_streams", "v:0",
                "-read_intervals", "%+#1", "-show_entries", "frame=key_frame", "-of", "json", file.toString()));
        Ffmpeg.Pull decoded = Ffmpeg.pull(file.toString(), Duration.ofSeconds(600));
        assertThat(decoded.exitCode()).as("decoding %s: %s", file, decoded.description()).isZero();
        return new RecordingProbe(file, codecs, format.path("format").path("duration").asDouble(-1),
                first.path("frames").path(0).path("key_frame").asInt() == 1, decoded.frames(), decoded.errors());
    }

    /** The recordings under {@code dir}, oldest name first. */
    static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Checks what every good recording of the test pattern shows, and returns this for more. */
    RecordingProbe assertPlayable() {
        assertThat(codecs).as("codecs of %s", file).containsExactlyInAnyOrder("h264", "aac");
        assertThat(startsWithKeyframe).as("%s starts with a keyframe", file).isTrue();
        assertThat(decodeErrors).as("decode errors in %s", file).isEmpty();
        assertThat(decodedVideoFrames).as("video frames decoded from %s", file).isPositive();
        return this;
    }

    private static JsonNode json(List<String> cmd) {
        try (ExternalProcess p = ExternalProcess.start("ffprobe", cmd)) {
            assertThat(p.awaitExit(LIMIT)).as("%s", p.describe()).isZero();
            assertThat(p.stderr().strip()).as("ffprobe errors: %s", p.describe()).isEmpty();
            return new ObjectMapper().readTree(p.stdout());
        } catch (IOException e) {
            throw new AssertionError("ffprobe printed no JSON: " + cmd, e);
        }
    }
}
