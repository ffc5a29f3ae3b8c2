package io.meshlive.core;

import io.netty.util.concurrent.EventExecutor;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Decides whether a publish or play may go ahead. Checks may be slow (a webhook), so the answer
 * is a future; callers continue on their own event loop when it completes and never block on it.
 */
@FunctionalInterface
public interface Admission {
    /** Lets everyone in: the embedded default. */
    Admission OPEN = request -> CompletableFuture.completedFuture(Verdict.ALLOW);

    CompletionStage<Verdict> check(AccessRequest request);

    /**
     * Runs the check and hands the verdict to {@code then} on {@code loop} (the asking session's
     * event loop), whatever thread completed it; a check that failed is a refusal.
     */
    default void checkOn(EventExecutor loop, AccessRequest request, Consumer<Verdict> then) {
        check(request).whenComplete((verdict, error) -> loop.execute(() ->
                then.accept(error != null ? Verdict.deny("admission-failed: " + error) : verdict)));
    }

    /** Runs this check, then {@code next} only if this one allowed; an address binding either made is kept. */
    default Admission then(Admission next) {
        return request -> check(request).thenCompose(v -> !v.allowed() ? CompletableFuture.completedFuture(v)
                : next.check(request).thenApply(w -> w.allowed() && w.boundIp() == null && v.boundIp() != null ? v : w));
    }

    /**
     * The answer, with the reason a refusal is logged and reported under. {@code boundIp} is the
     * client address an allowance holds for only (a signature made for that address), or null:
     * whatever outlives the request (an HLS session token) must be refused from anywhere else.
     */
    record Verdict(boolean allowed, String reason, String boundIp) {
        public static final Verdict ALLOW = new Verdict(true, "allowed", null);

        public static Verdict deny(String reason) {
            return new Verdict(false, reason, null);
        }

        /** An allowance for {@code clientIp} only. */
        public static Verdict allowOnlyFrom(String clientIp) {
            return new Verdict(true, "allowed", clientIp);
        }

        /** What a refusal is counted under: the reason up to its first colon ("forbidden", "bad-signature"...). */
        public String kind() {
            int colon = reason.indexOf(':');
            return colon < 0 ? reason : reason.substring(0, colon);
        }
    }
}
