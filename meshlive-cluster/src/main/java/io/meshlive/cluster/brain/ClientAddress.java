package io.meshlive.cluster.brain;

import java.util.ArrayList;
import java.util.List;

/**
 * The address a viewer really comes from: the peer address, unless the peer is a trusted proxy,
 * in which case {@code X-Forwarded-For} is read right to left and the first address that is not a
 * trusted proxy is the client's. Entries a client could have forged (left of the first untrusted
 * one) are never used.
 */
public final class ClientAddress {
    private final List<byte[]> proxyNets = new ArrayList<>();
    private final List<Integer> proxyBits = new ArrayList<>();

    /** @param trustedProxies CIDR prefixes or single addresses of the proxies in front of the nodes */
    public ClientAddress(List<String> trustedProxies) {
        for (String p : trustedProxies) {
            int slash = p.indexOf('/');
            byte[] net = RegionTable.literal(slash < 0 ? p : p.substring(0, slash));
            if (net == null) {
                throw new IllegalArgumentException("trusted proxy '" + p + "' is not an IP address or CIDR prefix");
            }
            int bits;
            try {
                bits = slash < 0 ? net.length * 8 : Integer.parseInt(p.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("trusted proxy '" + p + "': the length after '/' is not a number");
            }
            if (bits < 0 || bits > net.length * 8) {
                throw new IllegalArgumentException("trusted proxy '" + p + "': length " + bits + " is outside 0-" + net.length * 8);
            }
            proxyNets.add(net);
            proxyBits.add(bits);
        }
    }

    /**
     * @param peer          the TCP peer's address (a literal)
     * @param xForwardedFor the header's value, or null
     * @return the client's address as a literal string
     */
    public String resolve(String peer, String xForwardedFor) {
        if (xForwardedFor == null || !trusted(peer)) {
            return peer;
        }
        String[] hops = xForwardedFor.split(",", 32);
        String client = peer;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            byte[] a = RegionTable.literal(hop);
            if (a == null) {
                return client; // garbage in the header: trust nothing to its left
            }
            client = hop;
            if (!RegionTable.inAny(a, proxyNets, proxyBits)) {
                return client;
            }
        }
        return client;
    }

    private boolean trusted(String peer) {
        byte[] a = RegionTable.literal(peer);
        return a != null && RegionTable.inAny(a, proxyNets, proxyBits);
    }
}
