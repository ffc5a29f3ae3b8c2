package io.meshlive.webrtc;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the peer a packet belongs to: a STUN request by the ICE username it carries (our ufrag),
 * everything else by where it came from (a UDP address, or an ICE-TCP channel), once a
 * connectivity check from there has succeeded; a WHEP/WHIP DELETE by the resource id handed out
 * with the answer. Read on every packet from any loop; written when peers come and go.
 */
final class PeerTable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private final ConcurrentHashMap<String, WebRtcPeer> byUfrag = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Object, WebRtcPeer> byPath = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, WebRtcPeer> byResource = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<WebRtcPeer, String> resourceOf = new ConcurrentHashMap<>();

    /** Registers the peer and returns its resource id: 128 random bits, URL-safe base64. */
    String add(WebRtcPeer peer) {
        byUfrag.put(peer.localUfrag, peer);
        String resource;
        do {
            byte[] bits = new byte[16];
            RANDOM.nextBytes(bits);
            resource = URL_SAFE.encodeToString(bits);
        } while (byResource.putIfAbsent(resource, peer) != null);
        resourceOf.put(peer, resource);
        return resource;
    }

    WebRtcPeer byUfrag(String ufrag) {
        return byUfrag.get(ufrag);
    }

    WebRtcPeer byPath(Object key) {
        return byPath.get(key);
    }

    WebRtcPeer byResource(String resourceId) {
        return byResource.get(resourceId);
    }

    void bindPath(Object key, WebRtcPeer peer) {
        WebRtcPeer previous = byPath.put(key, peer);
        if (previous != null && previous != peer) {
            // A new session from the same address and port: the old one lost its path.
            previous.close("its address " + key + " is now used by " + peer);
        }
    }

    void remove(WebRtcPeer peer, Collection<Object> pathKeys) {
        byUfrag.remove(peer.localUfrag, peer);
        String resource = resourceOf.remove(peer);
        if (resource != null) {
            byResource.remove(resource, peer);
        }
        for (Object key : pathKeys) {
            byPath.remove(key, peer);
        }
    }

    Collection<WebRtcPeer> all() {
        return byResource.values();
    }
}
