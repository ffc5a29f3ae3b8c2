package io.meshlive.server.it;

import io.meshlive.testkit.TestPattern;
import io.meshlive.testkit.Ffmpeg;
import io.meshlive.testkit.ExternalProcess;
import com.fasterxml.jackson.databind.JsonNode;
import io.meshlive.server.record.RecordConfig;
import io.meshlive.server.record.Recordings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The disk refuses a recording mid-stream (its directory is replaced by a file, so the next split
 * cannot be created): the recording stops with an ERROR line and an on_record carrying the error,
 * while the publisher and an HTTP-FLV viewer go on as if nothing happened.
 */
@Timeout(60)
class RecordDiskErrorTest {
    @Test
    void aWriteErrorStopsTheRecordingNotTheStream() throws Exception {
        Path recordings = Files.createTempDirectory("meshlive-disk");
        try (RecordHookReceiver hooks = new RecordHookReceiver();
             LogCapture log = LogCapture.of(Recordings.class);
             TestServer server = TestServer.start(c -> {
                 c.webhooks.url = hooks.url();
                 c.webhooks.secret = "k";
                 c.record.dir = recordings.toString();
                 c.record.splitSeconds = 1;
                 c.record.apps.put(TestServer.APP, new RecordConfig.App());
             });
             ExternalProcess publisher = Ffmpeg.publish(TestPattern.live(), server.rtmpUrl("disk"))) {
            server.awaitLive("disk", publisher);
            Path streamDir = recordings.resolve("live/disk");
            await().atMost(Duration.ofSeconds(10)).until(() -> !RecordingProbe.filesUnder(streamDir).isEmpty());

            Files.move(streamDir, recordings.resolve("live/disk-moved"));
            Files.writeString(streamDir, "a file where the recordings directory was");

            await().atMost(Duration.ofSeconds(10)).until(() -> hooks.records("live", "disk").stream().anyMatch(e -> e.has("error")));
            JsonNode failed = hooks.records("live", "disk").stream().filter(e -> e.has("error")).findFirst().orElseThrow();
            assertThat(failed.path("error").asText()).as("names the cause").contains(streamDir.toString());
            assertThat(failed.path("bytes").asLong()).isZero();
            assertThat(log.mentioning("recording of live/disk to")).as("one ERROR line")
                    .singleElement().satisfies(e -> assertThat(e.getLevel().toString()).isEqualTo("ERROR"));
            await().atMost(Duration.ofSeconds(5)).until(() -> server.api("/api/v1/recordings").path("recordings").isEmpty());

            Ffmpeg.Pull viewer = Ffmpeg.pull(server.flvUrl("disk"), Duration.ofSeconds(3));
            assertThat(viewer.exitCode()).as(viewer.description()).isZero();
            assertThat(viewer.frames()).as("an HTTP-FLV viewer after the failure: %s", viewer.description())
                    .isGreaterThanOrEqualTo(2L * TestPattern.FPS);
            assertThat(publisher.isAlive()).as("the publisher goes on").isTrue();
            assertThat(server.stream("disk").publisher()).isNotNull();
            List<JsonNode> events = hooks.records("live", "disk");
            assertThat(events).as("nothing recorded after the failure").last().satisfies(e -> assertThat(e.has("error")).isTrue());
        }
    }
}
