package io.meshlive.cluster.relay;

import io.meshlive.core.Hub;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's links to its parents: at most one per parent node, opened on the first pull. A node
 * bound to one address ({@code bind}) opens them from that address too, so a multi-homed host's
 * relay traffic leaves from the address its peers (and their firewalls) know it by.
 */
public final class RelayLinks {
    private final Hub hub;
    private final String nodeId;
    private final byte[] secret;
    private final long parentTimeoutMillis;
    /** The local address links are opened from (resolved here, never on a loop), or null for the one the kernel picks. */
    private final InetSocketAddress localAddress;
    private final ConcurrentHashMap<String, RelayLink> links = new ConcurrentHashMap<>();

    public RelayLinks(Hub hub, String nodeId, String secret, long parentTimeoutMillis) {
        this(hub, nodeId, secret, parentTimeoutMillis, null);
    }

    /** With {@code localHost} a specific address (not a wildcard), links are opened from it. */
    public RelayLinks(Hub hub, String nodeId, String secret, long parentTimeoutMillis, String localHost) {
        this.hub = hub;
        this.localAddress = localHost == null || localHost.isBlank() || "0.0.0.0".equals(localHost) || "::".equals(localHost)
                ? null : new InetSocketAddress(localHost, 0);
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

    /** The local address links are opened from, or null for the one the kernel picks. */
    InetSocketAddress localAddress() {
        return localAddress;
    }

    long parentTimeoutMillis() {
        return parentTimeoutMillis;
    }
}
