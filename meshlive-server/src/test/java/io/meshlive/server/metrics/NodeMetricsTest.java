package io.meshlive.server.metrics;

import io.meshlive.core.AccessRequest;
import io.meshlive.core.Hub;
import io.meshlive.core.HubSettings;
import io.meshlive.core.Session;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.Workers;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NodeMetricsTest {
    private static final String SHOP = "{app=\"live\",stream=\"shop\"}";

    private final DefaultEventLoopGroup group = new DefaultEventLoopGroup(1);
    private final Workers workers = new Workers(group);
    private final EventLoop loop = workers.loop(0);
    private final Hub hub = new Hub(workers, HubSettings.defaults());
    private final List<Frame> made = new ArrayList<>();
    private final FakeSession publisher = new FakeSession("rtmp", Session.Role.PUBLISHER);
    private NodeMetrics metrics;
    private Stream stream;

    private static final class FakeSession extends Session {
        FakeSession(String protocol, Role role) {
            super(protocol, role, "test");
        }

        void carried(long in, long out) {
            bytesIn = in;
            bytesOut = out;
        }

        @Override
        public void close(String reason) {
        }
    }

    @BeforeEach
    void publishAStream() throws Exception {
        metrics = new NodeMetrics(hub);
        stream = hub.streams().attachPublisher(new StreamKey("live", "shop"), publisher).stream();
        hub.sessions().add(publisher);
        publisher.carried(1000, 0);
        on(() -> {
            stream.publish(frame(0, true));
            stream.publish(frame(33, false));
            // 1..100 ms: the quantiles are easy to predict.
            for (int ms = 1; ms <= 100; ms++) {
                stream.stats().recordLatency(0, TimeUnit.MILLISECONDS.toNanos(ms));
            }
            stream.stats().frameSkipped();
            stream.stats().frameSkipped();
        });
        stream.stats().rollInterval();
        hub.refusals().record("rtmp", AccessRequest.Action.PUBLISH, "bad-signature");
    }

    @AfterEach
    void shutdown() {
        metrics.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        for (Frame f : made) {
            assertThat(f.refCnt()).as("every frame released: %s", f).isZero();
        }
    }

    private void on(Runnable task) throws Exception {
        loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private Frame frame(long ms, boolean key) {
        Frame f = Frame.media(Codec.H264, ms * 1000, ms * 1000, key, Unpooled.wrappedBuffer(new byte[] {1, 2}), System.nanoTime());
        made.add(f);
        return f;
    }

    private void endStream() throws Exception {
        on(() -> stream.detachPublisher(publisher));
        hub.sessions().remove(publisher);
    }

    @Test
    void scrapeIsStrictTextExposition() throws Exception {
        addViewer("flv", 10);
        FakeSession quietPublisher = new FakeSession("rtmp", Session.Role.PUBLISHER);
        hub.streams().attachPublisher(new StreamKey("live", "quiet"), quietPublisher);
        Map<String, Double> samples = ExpositionText.parse(metrics.scrape());
        // No egress writes in the interval: no quantiles, like an empty Prometheus summary.
        assertThat(samples.get("meshlive_egress_latency_seconds_max{app=\"live\",stream=\"quiet\"}")).isNaN();
        assertThat(samples).containsKeys("process_uptime_seconds", "jvm_threads_live_threads", "system_cpu_count");
        assertThat(samples.keySet()).anyMatch(k -> k.startsWith("jvm_memory_used_bytes{"));
        assertThat(NodeMetrics.CONTENT_TYPE).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        endStream();
    }

    @Test
    void reportsStreamsViewersTrafficLatencyAndRefusals() throws Exception {
        addViewer("flv", 300);
        addViewer("flv", 200);
        addViewer("rtmp", 50);
        Map<String, Double> s = ExpositionText.parse(metrics.scrape());

        assertThat(s).containsEntry("meshlive_streams", 1.0)
                .containsEntry("meshlive_streams_publishing", 1.0)
                .containsEntry("meshlive_viewers{protocol=\"flv\"}", 2.0)
                .containsEntry("meshlive_viewers{protocol=\"rtmp\"}", 1.0)
                .containsEntry("meshlive_bytes_in_total", 1000.0)
                .containsEntry("meshlive_bytes_out_total", 550.0)
                .containsEntry("meshlive_skipped_frames_total" + SHOP, 2.0)
                .containsEntry("meshlive_sessions_refused_total{action=\"publish\",protocol=\"rtmp\",reason=\"bad-signature\"}", 1.0);
        assertThat(s.get("meshlive_egress_latency_seconds{app=\"live\",quantile=\"0.5\",stream=\"shop\"}")).isCloseTo(0.050, within(0.001));
        assertThat(s.get("meshlive_egress_latency_seconds{app=\"live\",quantile=\"0.9\",stream=\"shop\"}")).isCloseTo(0.090, within(0.001));
        assertThat(s.get("meshlive_egress_latency_seconds{app=\"live\",quantile=\"0.99\",stream=\"shop\"}")).isCloseTo(0.099, within(0.001));
        assertThat(s.get("meshlive_egress_latency_seconds_max" + SHOP)).isCloseTo(0.100, within(0.001));
        endStream();
    }

    @Test
    void aRemovedStreamsSeriesDisappearAndTotalsNeverGoDown() throws Exception {
        publisher.carried(1500, 0);
        metrics.scrape();
        endStream();
        assertThat(hub.streams().all()).isEmpty();

        Map<String, Double> s = ExpositionText.parse(metrics.scrape());

        assertThat(s.keySet()).noneMatch(k -> k.contains("stream=\"shop\""));
        assertThat(s).containsEntry("meshlive_streams", 0.0)
                .containsEntry("meshlive_streams_publishing", 0.0)
                .containsEntry("meshlive_bytes_in_total", 1500.0);
    }

    private void addViewer(String protocol, long bytesOut) {
        FakeSession viewer = new FakeSession(protocol, Session.Role.VIEWER);
        viewer.carried(0, bytesOut);
        hub.sessions().add(viewer);
    }
}
