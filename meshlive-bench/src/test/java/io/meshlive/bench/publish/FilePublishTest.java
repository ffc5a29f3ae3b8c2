package io.meshlive.bench.publish;

import io.meshlive.bench.Publishers;
import io.meshlive.server.it.TestServer;
import io.meshlive.bench.StreamUrl;
import io.meshlive.bench.play.PlayLoad;
import io.meshlive.bench.play.PlayOptions;
import io.meshlive.bench.play.PlaySummary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bench publish --file}, with and without {@code --loop}, against an in-process server. */
class FilePublishTest {
    private static final SyntheticStream TEN_FPS = new SyntheticStream(300_000, 10, 10, new VideoSize(320, 240));

    private static TestServer server;

    @BeforeAll
    static void startServer() throws InterruptedException {
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void playersSeeTimestampsCarryOnAcrossLoops(@TempDir Path dir) throws Exception {
        Path file = TestFlvFiles.write(dir.resolve("one-second.flv"), TEN_FPS, 1000);
        StreamUrl rtmp = StreamUrl.parse(server.rtmpUrl("looped"));
        try (PublishLoad publisher = PublishLoad.start(new PublishOptions(rtmp, file, true, null, 1, null, null,
                Duration.ofSeconds(1), 1))) {
            Publishers.awaitPublishing(publisher);

            PlaySummary summary = PlayLoad.run(new PlayOptions(List.of(rtmp, StreamUrl.parse(server.flvUrl("looped"))), 2,
                    Duration.ofSeconds(3), 0, Duration.ofSeconds(1), 1, null), System.out);

            assertThat(summary.everyPlayerPlayed()).isTrue();
            assertThat(summary.players()).allSatisfy(p -> {
                assertThat(p.lastMediaTimestamp()).as("past the end of the first pass").isGreaterThan(2000);
                assertThat(p.videoFrames()).isGreaterThanOrEqualTo(25);
            });
            assertThat(publisher.sample()).singleElement().satisfies(p -> assertThat(p.loops()).isGreaterThanOrEqualTo(2));
        }
    }

    @Test
    void withoutLoopTheWholeFileIsSentThenThePublisherEnds(@TempDir Path dir) throws Exception {
        // One GOP of three seconds: a player joining any time before the end gets the file from its first frame.
        Path file = TestFlvFiles.write(dir.resolve("three-seconds.flv"),
                new SyntheticStream(300_000, 10, 30, new VideoSize(320, 240)), 3000);
        StreamUrl rtmp = StreamUrl.parse(server.rtmpUrl("once"));
        try (PublishLoad publisher = PublishLoad.start(new PublishOptions(rtmp, file, false, null, 1, null, null,
                Duration.ofSeconds(1), 1))) {
            Publishers.awaitPublishing(publisher);

            PlaySummary summary = PlayLoad.run(new PlayOptions(List.of(rtmp), 1, Duration.ofSeconds(4), 0,
                    Duration.ofSeconds(1), 1, null), System.out);

            assertThat(summary.players()).singleElement().satisfies(p -> {
                assertThat(p.videoFrames()).as("frames at 0, 100 .. 3000 ms").isEqualTo(31);
                assertThat(p.lastMediaTimestamp()).isEqualTo(3000);
            });
            assertThat(publisher.sample()).singleElement().satisfies(p -> {
                assertThat(p.state()).isEqualTo(PublisherResult.State.ENDED);
                assertThat(p.reason()).isEqualTo(Publisher.FILE_ENDED);
                assertThat(p.videoFrames()).isEqualTo(31);
                assertThat(p.failed()).isFalse();
            });
        }
    }
}
