package io.meshlive.webrtc;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the peer a packet belongs to: a STUN request by the ICE username it carries (our ufrag),
 * everything else by where it came from (a UDP address, or an ICE-TCP channel), once a
 * connectivity check from there has succeeded. Read on every packet from any loop; written
 * when peers come and go.
 */
final class PeerTable {
    private final ConcurrentHashMap<String, WebRtcPeer> byUfrag = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Object, WebRtcPeer> byPath = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, WebRtcPeer> byId = new ConcurrentHashMap<>();

    void add(WebRtcPeer peer) {
        byUfrag.put(peer.localUfrag, peer);
        byId.put(peer.id(), peer);
    }

    WebRtcPeer byUfrag(String ufrag) {
        return byUfrag.get(ufrag);
    }

    WebRtcPeer byPath(Object key) {
        return byPath.get(key);
    }

    WebRtcPeer byId(long id) {
        return byId.get(id);
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
        byId.remove(peer.id(), peer);
        for (Object key : pathKeys) {
            byPath.remove(key, peer);
        }
    }

    Collection<WebRtcPeer> all() {
        return byId.values();
    }
}
