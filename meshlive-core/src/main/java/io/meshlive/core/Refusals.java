package io.meshlive.core;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts refused sessions by protocol and reason kind ("forbidden", "bad-signature", "webhook",
 * "busy", "bad-name"...), for the metrics endpoint and the API.
 */
public final class Refusals {
    /** One counted kind of refusal. */
    public record Kind(String protocol, String action, String reason) {
    }

    private final ConcurrentHashMap<Kind, LongAdder> counts = new ConcurrentHashMap<>();

    public void record(String protocol, AccessRequest.Action action, String reason) {
        counts.computeIfAbsent(new Kind(protocol, action.lower(), reason), k -> new LongAdder()).increment();
    }

    /** A sorted copy of the counts. */
    public Map<Kind, Long> snapshot() {
        Map<Kind, Long> copy = new TreeMap<>((a, b) -> (a.protocol + a.action + a.reason).compareTo(b.protocol + b.action + b.reason));
        counts.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }
}
