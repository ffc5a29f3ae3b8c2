package io.meshlive.server.control;

import io.meshlive.cluster.store.StoreUnavailableException;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a control-store call on an API thread (never an event loop): its answer, or a
 * {@link StoreUnavailableException} the API turns into a 503, saying what was being done.
 */
final class StoreWait {
    /** How long the read-only API routes wait for the store. */
    static final long SECONDS = 3;

    private StoreWait() {
    }

    /** {@link #get} with the API routes' wait, for a read. */
    static <T> T await(CompletionStage<T> call) {
        return get(call, SECONDS, "reading the control store");
    }

    /** @param doing what the call was for, e.g. {@code "reading the control store"} */
    static <T> T get(CompletionStage<T> call, long seconds, String doing) {
        try {
            return call.toCompletableFuture().get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof StoreUnavailableException u ? u : new StoreUnavailableException(doing + ": " + cause, cause);
        } catch (TimeoutException e) {
            throw new StoreUnavailableException("the control store did not answer within " + seconds + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while " + doing, e);
        }
    }
}
