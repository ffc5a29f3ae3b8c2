package io.meshlive.server.metrics;

import io.meshlive.core.Hub;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The node's Prometheus metrics: the JVM, and the hub's streams, viewers, traffic, egress latency
 * and refusals.
 *
 * <p>Streams, sessions and refusal kinds come and go, so the hub's meters are brought up to date
 * by each {@link #scrape()} rather than by the hot path: a scrape costs a pass over the streams
 * and sessions, and the node needs no metrics thread.
 */
public final class NodeMetrics implements AutoCloseable {
    /** The Prometheus text exposition format that {@link #scrape()} returns. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Hub hub;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Listens to GC notifications, so it has to be closed with us.
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final StreamMeters streams;
    private final SessionMeters sessions;
    private final RefusalMeters refusals;
    private volatile TranscoderMeters transcoders;

    public NodeMetrics(Hub hub) {
        this.hub = hub;
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        this.streams = new StreamMeters(registry);
        this.sessions = new SessionMeters(registry);
        this.refusals = new RefusalMeters(registry);
    }

    /**
     * Adds the node's DTLS handshakes to the scrape, by where they are: {@code on_thread},
     * {@code waiting_for_thread}, {@code waiting_for_turn}. A join surge shows here first.
     */
    public void watch(io.meshlive.webrtc.WebRtcService webrtc) {
        java.util.Map<String, java.util.function.ToIntFunction<io.meshlive.webrtc.WebRtcService.DtlsHandshakeCounts>> states = java.util.Map.of(
                "on_thread", io.meshlive.webrtc.WebRtcService.DtlsHandshakeCounts::onThread,
                "waiting_for_thread", io.meshlive.webrtc.WebRtcService.DtlsHandshakeCounts::waitingForThread,
                "waiting_for_turn", io.meshlive.webrtc.WebRtcService.DtlsHandshakeCounts::waitingForTurn);
        states.forEach((state, count) -> io.micrometer.core.instrument.Gauge
                .builder("meshlive.webrtc.dtls.handshakes", webrtc, w -> count.applyAsInt(w.handshakeCounts()))
                .description("DTLS handshakes of WebRTC viewers and publishers, by where they are")
                .tag("state", state).register(registry));
    }

    /** Adds the ladders' figures (fps, transcode delay, drops) to the scrape. */
    public void watch(io.meshlive.transcode.video.Transcoders ladders) {
        this.transcoders = new TranscoderMeters(registry, ladders);
    }

    /**
     * Brings the hub's meters up to date and renders every meter. Synchronised because the
     * meters' state is rewritten by each scrape and read while rendering it.
     */
    public synchronized String scrape() {
        streams.refresh(hub.streams().all());
        sessions.refresh(hub.sessions().all());
        refusals.refresh(hub.refusals().snapshot());
        if (transcoders != null) {
            transcoders.refresh();
        }
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
