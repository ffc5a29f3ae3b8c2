package io.meshlive.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether a publish or play may go ahead. Checks may be slow (a webhook), so the answer
 * is a future; callers continue on their own event loop when it completes and never block on it.
 */
@FunctionalInterface
public interface Admission {
    /** Lets everyone in: the embedded default. */
    Admission OPEN = request -> CompletableFuture.completedFuture(Verdict.ALLOW);

    CompletionStage<Verdict> check(AccessRequest request);

    /** Runs this check, then {@code next} only if this one allowed. */
    default Admission then(Admission next) {
        return request -> check(request).thenCompose(v -> v.allowed() ? next.check(request) : CompletableFuture.completedFuture(v));
    }

    /** The answer, with the reason a refusal is logged and reported under. */
    record Verdict(boolean allowed, String reason) {
        public static final Verdict ALLOW = new Verdict(true, "allowed");

        public static Verdict deny(String reason) {
            return new Verdict(false, reason);
        }
    }
}
