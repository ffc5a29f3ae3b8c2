package io.meshlive.webrtc;

import io.meshlive.core.AudioTranscoding;
import io.meshlive.core.Hub;
import io.meshlive.core.HubSettings;
import io.meshlive.core.Workers;
import io.meshlive.webrtc.dtls.DtlsCertificate;
import io.meshlive.webrtc.dtls.DtlsHandshakes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * WHEP viewers a node plays to itself at start, before it reports ready, through the same code a
 * surge of browsers runs: a {@link WebRtcService} of the warm-up's own on a loopback UDP port and
 * the node's event loops, its viewers' offers answered, their STUN checks, DTLS handshakes (both
 * ends), and a live stream's media packetized, encrypted and sent by {@code sendmmsg} to hundreds
 * of viewers at once, for a few seconds each.
 *
 * <p>Why: on a fresh JVM all of that is interpreted until the JIT has seen it enough, and a surge
 * pays for the compiling on the very core its joins need. Measured on one core, 1,000 joins at
 * 200/s, the node idle for 45 s after its start: with 200 joins made in memory (offer, STUN, DTLS
 * and SRTP, but no socket, no stream and no fan-out) it connected 634, 971, 889 and 1,000
 * viewers, the core full (97-100 %); with 1,000 in memory 852, 826 and 1,000; with 1,000
 * viewers played to itself here, 1,000 in 8 of 9 runs, at 80-93 % of the core.
 *
 * <p>The warm-up has a hub of its own (sharing only the event loops), so no stream list, session
 * list, hook, cluster registry or metric sees it, and its peers write no log line.
 */
final class WarmUpViewers implements AutoCloseable {
    private static final String LOOPBACK = "127.0.0.1";
    /** Viewers at once: the fan-out writes to hundreds of viewers per pass, as in a surge. */
    private static final int AT_ONCE = 256;
    private static final long WATCH_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long STOP_WAIT_MILLIS = 5_000;

    private final Workers workers;
    private final HubSettings hubSettings;
    private final WebRtcSettings node;
    private final AudioTranscoding audio;
    private final int viewers;
    private final AtomicInteger played = new AtomicInteger();
    private final CompletableFuture<Integer> done = new CompletableFuture<>();
    private final Thread thread;

    /**
     * Starts playing the warm-up stream to {@code viewers} viewers, {@value #AT_ONCE} at a time, on
     * a thread of its own.
     *
     * @param node the node's own settings: the warm-up's service takes its limits and timeouts
     */
    WarmUpViewers(Workers workers, HubSettings hubSettings, WebRtcSettings node, AudioTranscoding audio, int viewers) {
        this.workers = workers;
        this.hubSettings = hubSettings;
        this.node = node;
        this.audio = audio;
        this.viewers = viewers;
        this.thread = new Thread(this::run, "webrtc-warm-up");
        thread.setDaemon(true);
        if (viewers == 0) {
            done.complete(0);
        } else {
            thread.start();
        }
    }

    /** Completes with the number of viewers that played once all have, or exceptionally with the first failure. */
    CompletableFuture<Integer> done() {
        return done;
    }

    /** Viewers that have played so far. */
    int played() {
        return played.get();
    }

    /** Viewers asked for. */
    int viewers() {
        return viewers;
    }

    /** Stops a warm-up still running (the node is closing) and waits a while for its sockets to close. */
    @Override
    public void close() {
        if (done.isDone()) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            done.complete(play());
        } catch (InterruptedException e) {
            done.completeExceptionally(new CancellationException("stopped: the node is closing"));
        } catch (Throwable e) {
            done.completeExceptionally(e);
        }
    }

    private int play() throws Exception {
        Hub hub = new Hub(workers, hubSettings);
        WebRtcSettings own = new WebRtcSettings(0, List.of(LOOPBACK), false, node.consentTimeoutMillis(),
                node.handshakeTimeoutMillis(), 0, node.maxHandshakes());
        Duration limit = Duration.ofMillis(node.handshakeTimeoutMillis());
        DtlsCertificate viewerCertificate = DtlsCertificate.generate();
        WarmUpStream stream = new WarmUpStream(workers.loop(0));
        try (WebRtcService service = new WebRtcService(hub, own, RenditionLadder.NONE, audio, true);
             DtlsHandshakes viewerHandshakes = new DtlsHandshakes("webrtc-warm-up-viewers", AT_ONCE, AT_ONCE, AT_ONCE)) {
            service.start(LOOPBACK);
            stream.start(hub.streams()).get(limit.toMillis(), TimeUnit.MILLISECONDS);
            Semaphore places = new Semaphore(AT_ONCE);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<CompletableFuture<Void>> joins = new ArrayList<>(viewers);
            Set<WarmUpViewer> inFlight = ConcurrentHashMap.newKeySet();
            try {
                for (int i = 0; i < viewers && failure.get() == null; i++) {
                    places.acquire();
                    WarmUpViewer viewer = new WarmUpViewer(service, viewerCertificate, viewerHandshakes,
                            workers.loop(i % workers.size()), WATCH_NANOS, limit);
                    inFlight.add(viewer);
                    CompletableFuture<Void> join = viewer.join();
                    join.whenComplete((v, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        } else {
                            played.incrementAndGet();
                        }
                        inFlight.remove(viewer);
                        places.release();
                    });
                    joins.add(join);
                }
                CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            } finally {
                inFlight.forEach(WarmUpViewer::stop); // stopped early: each closes its DTLS and its socket
            }
            return joins.size();
        } finally {
            stream.stop();
        }
    }
}
