package io.meshlive.server.metrics;

import io.meshlive.core.Refusals;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Refused sessions by protocol, action and reason: one counter per kind the hub has counted. */
final class RefusalMeters {
    private final MeterRegistry registry;
    private final Set<Refusals.Kind> kinds = new HashSet<>();
    private Map<Refusals.Kind, Long> counts = Map.of();

    RefusalMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void refresh(Map<Refusals.Kind, Long> snapshot) {
        counts = snapshot;
        for (Refusals.Kind k : snapshot.keySet()) {
            if (kinds.add(k)) {
                FunctionCounter.builder("meshlive.sessions.refused", this, m -> m.counts.getOrDefault(k, 0L))
                        .description("Sessions refused before they started")
                        .tags("protocol", k.protocol(), "action", k.action(), "reason", k.reason())
                        .register(registry);
            }
        }
    }
}
