package io.meshlive.cluster.brain;

import io.meshlive.cluster.store.CarriedStream;
import io.meshlive.cluster.store.NodeInfo;
import io.meshlive.cluster.store.StreamOrigin;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * The content centre: which streams are live, on which origin, at what bit rate, and which nodes
 * carry each with how many viewers. One readable model over what nodes report in their heartbeats
 * and what the store says of origins; the decision centre plans from it.
 */
public final class ContentCentre {
    private final Map<String, LiveStream> streams = new LinkedHashMap<>();
    /** stream → node → viewers there (0 for a node that carries the stream only to relay it). */
    private final Map<String, Map<String, Integer>> carriers = new HashMap<>();

    /** The model as the store shows it: origins, and each node's carried streams with viewers. */
    public static ContentCentre fromStore(Collection<StreamOrigin> origins, Collection<NodeInfo> nodes,
                                          ToLongFunction<String> bitsPerSecondOf) {
        ContentCentre c = new ContentCentre();
        for (StreamOrigin o : origins) {
            String stream = o.stream().toString();
            c.streamStarted(new LiveStream(stream, o.nodeId(), bitsPerSecondOf.applyAsLong(stream)));
        }
        for (NodeInfo n : nodes) {
            for (CarriedStream s : n.carried()) {
                if (c.streams.containsKey(s.stream())) {
                    c.carry(s.stream(), n.id(), s.viewers());
                }
            }
        }
        return c;
    }

    public void streamStarted(LiveStream s) {
        streams.put(s.stream(), s);
        carriers.computeIfAbsent(s.stream(), k -> new HashMap<>()).putIfAbsent(s.originNodeId(), 0);
    }

    /** Node {@code nodeId} carries {@code stream} with {@code viewers} viewers of it (0: relays only). */
    public void carry(String stream, String nodeId, int viewers) {
        if (streams.containsKey(stream)) {
            carriers.computeIfAbsent(stream, k -> new HashMap<>()).put(nodeId, Math.max(0, viewers));
        }
    }

    /** Node {@code nodeId} no longer carries {@code stream}. */
    public void drop(String stream, String nodeId) {
        Map<String, Integer> c = carriers.get(stream);
        if (c != null) {
            c.remove(nodeId);
        }
    }

    /** Forgets a node that left the cluster; the streams it was origin of end with it. */
    public void nodeGone(String nodeId) {
        streams.values().removeIf(s -> {
            boolean gone = s.originNodeId().equals(nodeId);
            if (gone) {
                carriers.remove(s.stream());
            }
            return gone;
        });
        for (Map<String, Integer> c : carriers.values()) {
            c.remove(nodeId);
        }
    }

    public Collection<LiveStream> streams() {
        return streams.values();
    }

    public LiveStream stream(String stream) {
        return streams.get(stream);
    }

    /** Nodes carrying the stream now (its origin included). */
    public Set<String> carriers(String stream) {
        return carriers.getOrDefault(stream, Map.of()).keySet();
    }

    /** Nodes with viewers of the stream, and how many. */
    public Map<String, Integer> viewers(String stream) {
        Map<String, Integer> out = new LinkedHashMap<>();
        carriers.getOrDefault(stream, Map.of()).forEach((node, v) -> {
            if (v > 0) {
                out.put(node, v);
            }
        });
        return out;
    }

    public boolean carries(String stream, String nodeId) {
        return carriers.getOrDefault(stream, Map.of()).containsKey(nodeId);
    }
}
