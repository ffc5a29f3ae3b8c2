package io.meshlive.bench;

import io.meshlive.server.it.TestServer;
import io.meshlive.bench.play.PlayLoad;
import io.meshlive.bench.play.PlayOptions;
import io.meshlive.bench.play.PlaySummary;
import io.meshlive.bench.play.ServerStats;
import io.meshlive.bench.publish.PublishLoad;
import io.meshlive.bench.publish.PublishOptions;
import io.meshlive.bench.publish.PublisherResult;
import io.meshlive.bench.publish.SyntheticStream;
import io.meshlive.bench.publish.VideoSize;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bench's own load paths (what {@code bench publish} and {@code bench play} run) against an in-process server. */
class BenchAgainstServerTest {
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
    void fiftyRtmpAndFiftyHttpFlvPlayersAllGetVideoFromASyntheticPublisher() throws Exception {
        StreamUrl rtmp = StreamUrl.parse(server.rtmpUrl("demo"));
        StreamUrl flv = StreamUrl.parse(server.flvUrl("demo"));
        SyntheticStream stream = new SyntheticStream(500_000, 30, 30, new VideoSize(640, 360));
        try (PublishLoad publisher = PublishLoad.start(new PublishOptions(rtmp, null, false, stream, 1, null, null,
                Duration.ofSeconds(1), 1))) {
            Publishers.awaitPublishing(publisher);

            PlaySummary summary = PlayLoad.run(new PlayOptions(List.of(rtmp, flv), 100, Duration.ofSeconds(5), 1000,
                    Duration.ofSeconds(1), 1, flv.defaultStatsUrl()), System.out);

            assertThat(summary.players()).hasSize(100).allSatisfy(p -> {
                assertThat(p.connected()).as("player %d: %s", p.index(), p.reason()).isTrue();
                assertThat(p.videoFrames()).as("player %d video frames", p.index()).isGreaterThan(60);
                assertThat(p.audioFrames()).as("player %d audio frames", p.index()).isGreaterThan(80);
                assertThat(p.timeToFirstFrameNanos()).as("player %d time to first frame", p.index()).isPositive();
                assertThat(p.lastMediaTimestamp()).isPositive();
            });
            assertThat(summary.count(p -> p.url().rtmp())).isEqualTo(50);
            assertThat(summary.everyPlayerPlayed()).isTrue();

            ServerStats stats = summary.server();
            assertThat(stats.error()).isNull();
            assertThat(stats.streams()).singleElement().satisfies(s -> {
                assertThat(s.viewers()).isEqualTo(100);
                assertThat(s.total().count()).isPositive();
            });

            List<PublisherResult> sent = publisher.sample();
            assertThat(sent).singleElement().satisfies(p -> {
                assertThat(p.publishing()).isTrue();
                assertThat(p.videoFrames()).isGreaterThan(150);
            });
        }
    }

    @Test
    void playersDrainingEvery50MsGetTheWholeStreamFromTheirSocketsBacklog() throws Exception {
        StreamUrl rtmp = StreamUrl.parse(server.rtmpUrl("drained"));
        StreamUrl flv = StreamUrl.parse(server.flvUrl("drained"));
        SyntheticStream stream = new SyntheticStream(500_000, 30, 30, new VideoSize(640, 360));
        try (PublishLoad publisher = PublishLoad.start(new PublishOptions(rtmp, null, false, stream, 1, null, null,
                Duration.ofSeconds(1), 1))) {
            Publishers.awaitPublishing(publisher);

            PlaySummary summary = PlayLoad.run(new PlayOptions(List.of(rtmp, flv), 20, Duration.ofSeconds(5), 1000,
                    Duration.ofSeconds(1), 1, null, 0, Duration.ofMillis(50), PlayOptions.JOIN_TIMEOUT, Duration.ZERO), System.out);

            assertThat(summary.players()).hasSize(20).allSatisfy(p -> {
                assertThat(p.connected()).as("player %d: %s", p.index(), p.reason()).isTrue();
                assertThat(p.videoFrames()).as("player %d video frames", p.index()).isGreaterThan(60);
                assertThat(p.audioFrames()).as("player %d audio frames", p.index()).isGreaterThan(80);
            });
            assertThat(summary.everyPlayerPlayed()).isTrue();
        }
    }

    @Test
    void twentyLlHlsPlayersGetEveryPartWithBlockingReloads() throws Exception {
        StreamUrl rtmp = StreamUrl.parse(server.rtmpUrl("hls"));
        StreamUrl hls = StreamUrl.parse(server.llHlsUrl("hls"));
        SyntheticStream stream = new SyntheticStream(500_000, 30, 30, new VideoSize(640, 360));
        try (PublishLoad publisher = PublishLoad.start(new PublishOptions(rtmp, null, false, stream, 1, null, null,
                Duration.ofSeconds(1), 1))) {
            Publishers.awaitPublishing(publisher);

            PlaySummary summary = PlayLoad.run(new PlayOptions(List.of(hls), 20, Duration.ofSeconds(6), 1000,
                    Duration.ofSeconds(1), 1, null), System.out);

            assertThat(summary.players()).hasSize(20).allSatisfy(p -> {
                assertThat(p.connected()).as("player %d: %s", p.index(), p.reason()).isTrue();
                assertThat(p.videoFrames()).as("player %d parts", p.index()).isGreaterThan(5);
                assertThat(p.hls().reloads()).as("player %d playlist loads", p.index()).isGreaterThan(5);
                assertThat(p.hls().stalls()).as("player %d stalls", p.index()).isZero();
                assertThat(p.hls().httpErrors()).as("player %d HTTP errors", p.index()).isZero();
                assertThat(p.hls().partWaits().count()).isEqualTo(p.videoFrames());
                assertThat(p.lastMediaTimestamp()).as("player %d media time", p.index()).isPositive();
            });
            assertThat(summary.everyPlayerPlayed()).isTrue();
            assertThat(summary.hlsTotals().partWaits().percentileNanos(50)).isPositive();
        }
    }
}
