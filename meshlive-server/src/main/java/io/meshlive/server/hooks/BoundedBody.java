package io.meshlive.server.hooks;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a webhook receiver's reply body up to a cap and no further: a {@code Content-Length}
 * over it fails at once, and a body that grows past it (chunked, or lying) stops being read, so a
 * receiver cannot make the node hold more than the cap per reply.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    /** A reply to on_publish / on_play is a small JSON object; this is far more than one needs. */
    static final int MAX_BYTES = 64 * 1024;

    private final int max;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private byte[] bytes = new byte[0];
    private int size;
    private Flow.Subscription subscription;

    private BoundedBody(int max) {
        this.max = max;
    }

    /** The handler for {@link java.net.http.HttpClient#sendAsync}: bodies of at most {@code max} bytes. */
    static HttpResponse.BodyHandler<byte[]> handler(int max) {
        return info -> {
            long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            BoundedBody body = new BoundedBody(max);
            if (declared > max) {
                body.result.completeExceptionally(tooLong(max, "declares Content-Length " + declared));
            }
            return body;
        };
    }

    private static IOException tooLong(int max, String how) {
        return new IOException("reply body over " + max + " bytes (" + how + ")");
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (result.isDone()) {
            s.cancel();
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            int n = b.remaining();
            if (size + n > max) {
                subscription.cancel();
                result.completeExceptionally(tooLong(max, "sent more"));
                return;
            }
            if (size + n > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.min(max, Math.max(size + n, bytes.length * 2)));
            }
            b.get(bytes, size, n);
            size += n;
        }
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(java.util.Arrays.copyOf(bytes, size));
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }
}
