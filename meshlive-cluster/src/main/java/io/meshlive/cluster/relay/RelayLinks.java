package io.meshlive.cluster.relay;

import io.meshlive.core.Hub;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/** This node's links to its parents: at most one per parent node, opened on the first pull. */
public final class RelayLinks {
    private final Hub hub;
    private final String nodeId;
    private final byte[] secret;
    private final long parentTimeoutMillis;
    private final ConcurrentHashMap<String, RelayLink> links = new ConcurrentHashMap<>();

    public RelayLinks(Hub hub, String nodeId, String secret, long parentTimeoutMillis) {
        this.hub = hub;
        this.nodeId = nodeId;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.parentTimeoutMillis = parentTimeoutMillis;
    }

    /** The open link to {@code parentId} at {@code address}, connecting a new one if there is none. */
    RelayLink link(String parentId, String address) {
        while (true) {
            RelayLink l = links.computeIfAbsent(parentId, id -> {
                RelayLink fresh = new RelayLink(this, id, address, RelayLink.loopFor(hub, id));
                fresh.loop().execute(fresh::connect);
                return fresh;
            });
            if (!l.isClosed()) {
                return l;
            }
            links.remove(parentId, l);
        }
    }

    void remove(RelayLink link) {
        links.remove(link.parentId(), link);
    }

    String nodeId() {
        return nodeId;
    }

    byte[] secret() {
        return secret;
    }

    long parentTimeoutMillis() {
        return parentTimeoutMillis;
    }
}
