package io.meshlive.server.hooks;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlive.core.AccessRequest;
import io.meshlive.core.Admission;
import io.meshlive.core.StreamKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tells an operator's HTTP receiver about publishes and plays, and lets it refuse them.
 *
 * <p>{@link #check} asks on_publish / on_play and answers within the configured timeout;
 * {@link #notify} reports what happened (on_unpublish, on_stop, ...) and retries with backoff.
 * Callers are event loops, so the caller's thread only hands work to this class's own thread:
 * encoding, signing and sending happen there, and answers complete on the HTTP client's or the
 * deadline's threads. The caller hops back to its loop itself.
 */
public final class Webhooks implements Admission, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
    /** Doubling stops here so a large retry count cannot overflow the delay. */
    private static final int MAX_DOUBLINGS = 20;

    private final WebhookSettings settings;
    private final ScheduledThreadPoolExecutor timer;
    private final EventEncoder encoder;
    private final AdmissionReply replies;
    private final WebhookPoster poster;
    /**
     * Per stream, the first attempt of its latest notification: the next one is posted only when
     * it is answered, so a receiver sees one stream's events in the order they happened (a
     * recording's splits, then its failure). Timer thread only.
     */
    private final Map<StreamKey, CompletableFuture<?>> lastOfStream = new HashMap<>();

    public Webhooks(WebhookSettings settings) {
        this.settings = settings;
        ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.encoder = new EventEncoder(json, nodeName());
        this.replies = new AdmissionReply(json, settings.failOpen());
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "meshlive-webhooks");
            t.setDaemon(true);
            return t;
        });
        // On close, work already due still runs so every pending check gets its answer; future retries are dropped.
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.poster = settings.enabled() ? new WebhookPoster(settings.url(), settings.timeout(), new HmacSigner(settings.secret())) : null;
    }

    @Override
    public CompletionStage<Verdict> check(AccessRequest request) {
        if (!settings.enabled()) {
            return CompletableFuture.completedFuture(Verdict.ALLOW);
        }
        String event = "on_" + request.action().lower();
        try {
            return CompletableFuture.supplyAsync(() -> encoder.encode(event, request, Map.of()), timer)
                    .thenCompose(body -> poster.post(event, body))
                    .handle((response, error) -> error == null ? replies.of(response) : replies.unavailable(describe(error)));
        } catch (RejectedExecutionException closed) {
            return CompletableFuture.completedFuture(replies.unavailable("webhooks are closed"));
        }
    }

    /** Fire and forget: {@code extra} fields join the common ones; failures are retried, then logged once. */
    public void notify(String event, AccessRequest request, Map<String, Object> extra) {
        if (!settings.enabled()) {
            return;
        }
        // Copied here: the caller may reuse its map once this returns.
        Map<String, Object> fields = extra == null ? Map.of() : new LinkedHashMap<>(extra);
        try {
            timer.execute(() -> start(event, request, fields));
        } catch (RejectedExecutionException closed) {
            log.debug("webhooks closed, dropped {} for {}", event, request.stream());
        }
    }

    private void start(String event, AccessRequest request, Map<String, Object> extra) {
        byte[] body;
        try {
            body = encoder.encode(event, request, extra);
        } catch (RuntimeException e) {
            log.warn("webhook {} for {} not sent: {}", event, request.stream(), e.getMessage());
            return;
        }
        StreamKey stream = request.stream();
        CompletableFuture<?> previous = lastOfStream.get(stream);
        CompletableFuture<Void> first = new CompletableFuture<>();
        lastOfStream.put(stream, first);
        Runnable send = () -> deliver(event, stream, body, 0, first);
        if (previous == null || previous.isDone()) {
            send.run();
        } else {
            previous.whenComplete((v, e) -> execute(send));
        }
    }

    private void execute(Runnable task) {
        try {
            timer.execute(task);
        } catch (RejectedExecutionException closed) {
            log.debug("webhooks closed, dropped a queued notification");
        }
    }

    /** @param firstAttempt completed (on the timer thread) when this post is answered, so the stream's next may go */
    private void deliver(String event, StreamKey stream, byte[] body, int retriesDone, CompletableFuture<Void> firstAttempt) {
        poster.post(event, body).whenComplete((response, error) -> {
            if (firstAttempt != null) {
                execute(() -> {
                    if (lastOfStream.get(stream) == firstAttempt) {
                        lastOfStream.remove(stream);
                    }
                    firstAttempt.complete(null);
                });
            }
            String problem = error != null ? describe(error) : failure(response);
            if (problem == null) {
                return;
            }
            if (retriesDone >= settings.retries()) {
                log.warn("webhook {} for {} failed after {} attempt(s): {}", event, stream, retriesDone + 1, problem);
                return;
            }
            Duration delay = settings.firstRetryDelay().multipliedBy(1L << Math.min(retriesDone, MAX_DOUBLINGS));
            try {
                timer.schedule(() -> deliver(event, stream, body, retriesDone + 1, null), delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException closed) {
                log.debug("webhooks closed, dropped retry of {} for {}", event, stream);
            }
        });
    }

    private static String failure(HttpResponse<byte[]> response) {
        return response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode();
    }

    private String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof TimeoutException) {
            return "no answer within " + settings.timeout().toMillis() + " ms";
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** Tells the receiver which node of a fleet sent the event. Looked up once: it can wait on DNS. */
    private static String nodeName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env != null ? env : "unknown";
        }
    }

    /** Drops retries not yet due; checks already asked still get their answer. */
    @Override
    public void close() {
        timer.shutdown();
    }
}
