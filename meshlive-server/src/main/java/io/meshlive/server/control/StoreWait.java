package io.meshlive.server.control;

import io.meshlive.cluster.store.StoreUnavailableException;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a control-store call from the API thread (never an event loop), a bounded time: what
 * does not answer, or fails, becomes a {@link StoreUnavailableException}, which the routes turn into
 * a 503.
 */
final class StoreWait {
    static final long SECONDS = 3;

    private StoreWait() {
    }

    static <T> T await(CompletionStage<T> call) {
        try {
            return call.toCompletableFuture().get(SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof StoreUnavailableException u ? u : new StoreUnavailableException("control store: " + cause, cause);
        } catch (TimeoutException e) {
            throw new StoreUnavailableException("the control store did not answer within " + SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while reading the control store", e);
        }
    }
}
