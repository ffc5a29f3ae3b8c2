package io.meshlive.server.metrics;

import io.meshlive.core.Session;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Viewers by protocol, and the node's bytes in and out over every session it has had. */
final class SessionMeters {
    private final MeterRegistry registry;
    private final Set<String> protocols = new HashSet<>();
    private Map<String, Integer> viewers = Map.of();
    private Map<Session, Seen> lastSeen = new HashMap<>();
    private long bytesIn;
    private long bytesOut;

    /** A session's byte counters as the previous scrape saw them. */
    private record Seen(long in, long out) {
        static final Seen NOTHING = new Seen(0, 0);
    }

    SessionMeters(MeterRegistry registry) {
        this.registry = registry;
        FunctionCounter.builder("meshlive.bytes.in", this, m -> m.bytesIn)
                .description("Bytes received by sessions on this node")
                .register(registry);
        FunctionCounter.builder("meshlive.bytes.out", this, m -> m.bytesOut)
                .description("Bytes sent by sessions on this node")
                .register(registry);
    }

    /**
     * The node totals must never go down, yet sessions, and their counters, vanish when they
     * close, and the hub does not tell us when. So each scrape adds what every live session
     * carried since the previous scrape (all of it for a new session) to running totals. What a
     * session carries between the last scrape and its close is not counted: the totals lag by at
     * most one scrape interval of the closed sessions' traffic, and stay monotonic.
     */
    void refresh(List<Session> all) {
        Map<Session, Seen> seen = new HashMap<>(all.size() * 2);
        Map<String, Integer> viewing = new HashMap<>();
        for (Session s : all) {
            Seen now = new Seen(s.bytesIn(), s.bytesOut());
            Seen before = lastSeen.getOrDefault(s, Seen.NOTHING);
            bytesIn += Math.max(0, now.in() - before.in());
            bytesOut += Math.max(0, now.out() - before.out());
            seen.put(s, now);
            if (s.role() == Session.Role.VIEWER) {
                viewing.merge(s.protocol(), 1, Integer::sum);
            }
        }
        lastSeen = seen;
        viewers = viewing;
        viewing.keySet().forEach(this::registerProtocol);
    }

    /** One gauge per protocol ever seen; it reads zero while the protocol has no viewers. */
    private void registerProtocol(String protocol) {
        if (protocols.add(protocol)) {
            Gauge.builder("meshlive.viewers", this, m -> m.viewers.getOrDefault(protocol, 0))
                    .description("Viewer sessions on this node")
                    .tag("protocol", protocol)
                    .register(registry);
        }
    }
}
