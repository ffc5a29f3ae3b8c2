package io.meshlive.cluster.relay;

import io.meshlive.core.Hub;
import io.meshlive.core.StreamKey;
import io.netty.channel.Channel;

import java.util.HashMap;
import java.util.Map;

/** This node's {@link RelayOut}s: one per stream sent to other nodes, made on the first subscription. */
final class RelayOuts {
    private final Hub hub;
    private final Map<StreamKey, RelayOut> outs = new HashMap<>();
    private int nextId = 1;

    RelayOuts(Hub hub) {
        this.hub = hub;
    }

    /**
     * The stream's relay-out, with one subscription announced as pending (so it is not retired
     * before {@link #added} runs on its loop).
     */
    synchronized RelayOut pendingSubscription(StreamKey key) {
        RelayOut out = outs.get(key);
        if (out == null) {
            int id = nextId++;
            out = new RelayOut(this, hub, key, id, hub.workers().loop(Math.floorMod(key.hashCode(), hub.workers().size())));
            outs.put(key, out);
        }
        out.pending++;
        return out;
    }

    /** Adds a node to the stream, on the relay-out's loop. */
    void subscribe(RelayOut out, Channel channel, int subscription, long epoch, long fromSequence) {
        out.eventLoop().execute(() -> {
            synchronized (this) {
                out.pending--;
            }
            out.add(new RelayOut.Downstream(channel, subscription, epoch, fromSequence));
        });
    }

    /** Drops a node's subscription ({@code subscription} -1: all of that connection's). */
    void unsubscribe(RelayOut out, Channel channel, int subscription) {
        out.eventLoop().execute(() -> out.remove(channel, subscription));
    }

    /** Whether {@code out}, having no nodes left, was dropped (no subscription is on its way to it). */
    synchronized boolean retireIfIdle(RelayOut out) {
        if (out.pending > 0 || out.retired) {
            return false;
        }
        out.retired = true;
        outs.remove(out.key(), out);
        return true;
    }

    /** How many nodes each stream is sent to, for the API. */
    synchronized Map<StreamKey, Integer> downstreamCounts() {
        Map<StreamKey, Integer> m = new HashMap<>();
        outs.forEach((k, o) -> m.put(k, o.downstreamCount()));
        return m;
    }
}
