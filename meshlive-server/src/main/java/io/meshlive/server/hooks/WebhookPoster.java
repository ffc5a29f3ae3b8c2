package io.meshlive.server.hooks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends one signed webhook body and gives up on it after a deadline, without blocking anyone; the
 * reply's body is read up to {@link BoundedBody#MAX_BYTES}, and only within the deadline.
 */
final class WebhookPoster {
    private final URI url;
    private final Duration timeout;
    private final HmacSigner signer;
    private final HttpClient http;

    WebhookPoster(URI url, Duration timeout, HmacSigner signer) {
        this.url = url;
        this.timeout = timeout;
        this.signer = signer;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                // An h2c upgrade buys nothing for one small POST and some receivers mishandle its headers.
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * Completes with the answer, or with the failure (a {@link java.util.concurrent.TimeoutException}
     * at the deadline), on a thread that is neither the caller's nor an event loop.
     */
    CompletableFuture<HttpResponse<byte[]>> post(String event, byte[] body) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("X-Meshlive-Event", event)
                .header("X-Meshlive-Signature", signer.sign(body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request, BoundedBody.handler(BoundedBody.MAX_BYTES));
        // The request timeout stops counting once headers arrive; this deadline also covers a body that stalls,
        // and cancelling then lets the client drop the connection instead of waiting on it.
        CompletableFuture<HttpResponse<byte[]>> answer = exchange.copy().orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        answer.whenComplete((response, error) -> exchange.cancel(true));
        return answer;
    }
}
