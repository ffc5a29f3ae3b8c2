package io.meshlive.server.it;

import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.ExternalProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A meshlive server in its own JVM records an FLV and a fragmented MP4 stream and is killed with
 * SIGKILL mid-recording: both files still decode, without an error, up to about the kill.
 */
@Timeout(90)
class RecordKillTest {
    private static final Duration RECORDED = Duration.ofSeconds(5);
    private final List<ExternalProcess> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(ExternalProcess::close);
    }

    @Test
    void aKilledServerLeavesPlayableRecordings() throws Exception {
        Path data = Files.createTempDirectory("meshlive-kill");
        int rtmpPort = freePort();
        Path config = data.resolve("meshlive.yaml");
        Files.writeString(config, String.join("\n",
                "bind: 127.0.0.1",
                "dataDir: " + data,
                "rtmp: {port: " + rtmpPort + "}",
                "http: {port: 0}",
                "webrtc: {port: 0, warmUpJoins: 1}",
                "stats: {logIntervalSeconds: 0}",
                "record:",
                "  apps:",
                "    flv: {format: flv}",
                "    mp4: {format: mp4}",
                ""));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ExternalProcess server = start("meshlive", List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.meshlive.server.Main", "--config", config.toString()));
        await().atMost(Duration.ofSeconds(30)).failFast("server exited", () -> !server.isAlive()).until(() -> listening(rtmpPort));

        for (String app : List.of("flv", "mp4")) {
            start("ffmpeg-publish", publishCommand("rtmp://127.0.0.1:" + rtmpPort + "/" + app + "/k"));
        }
        Path recordings = data.resolve("recordings");
        await().atMost(Duration.ofSeconds(20)).failFast("server exited", () -> !server.isAlive())
                .until(() -> RecordingProbe.filesUnder(recordings).size() == 2);
        Thread.sleep(RECORDED.toMillis());
        server.close(); // destroyForcibly: SIGKILL, no shutdown hook runs
        assertThat(server.exitsWithin(Duration.ofSeconds(5))).isTrue();

        List<Path> files = RecordingProbe.filesUnder(recordings);
        assertThat(files).hasSize(2);
        for (Path f : files) {
            RecordingProbe p = RecordingProbe.of(f).assertPlayable();
            // Each file began at a keyframe shortly after its file appeared; at most the fragment in
            // memory (one GOP, 1 s) and a scheduling hiccup are missing at the end.
            assertThat(p.durationSeconds()).as("%s decodes up to near the kill", f)
                    .isBetween(RECORDED.toSeconds() - 2.0, RECORDED.toSeconds() + 1.5);
            assertThat(p.decodedVideoFrames()).as("video frames in %s", f)
                    .isGreaterThanOrEqualTo((RECORDED.toSeconds() - 2) * TestPattern.FPS);
        }
    }

    private ExternalProcess start(String name, List<String> command) {
        ExternalProcess p = ExternalProcess.start(name, command);
        processes.add(p);
        return p;
    }

    private static List<String> publishCommand(String url) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "warning"));
        cmd.addAll(TestPattern.live().inputs(true));
        cmd.addAll(TestPattern.live().encoding());
        cmd.addAll(List.of("-f", "flv", url));
        return cmd;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
