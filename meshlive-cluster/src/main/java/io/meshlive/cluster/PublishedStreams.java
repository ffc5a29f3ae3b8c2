package io.meshlive.cluster;

import io.meshlive.cluster.store.CarriedStream;
import io.meshlive.core.Hub;
import io.meshlive.core.Session;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The streams published on this node, as the roots of the cluster's stream tree (no parent; what this node adds is its egress latency). */
final class PublishedStreams {
    private PublishedStreams() {
    }

    static List<CarriedStream> carried(Hub hub) {
        Map<StreamKey, Integer> viewers = new HashMap<>();
        for (Session s : hub.sessions().all()) {
            if (s.role() == Session.Role.VIEWER && s.stream() != null) {
                viewers.merge(s.stream(), 1, Integer::sum);
            }
        }
        List<CarriedStream> out = new ArrayList<>();
        for (Stream s : hub.streams().all()) {
            if (s.publisher() == null) {
                continue;
            }
            Histogram added = s.stats().recentLatency();
            long p50 = added.getValueAtPercentile(50);
            out.add(new CarriedStream(s.key().toString(), null, viewers.getOrDefault(s.key(), 0), p50, p50, added.getValueAtPercentile(99)));
        }
        return out;
    }
}
