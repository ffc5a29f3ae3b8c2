package io.meshlive.webrtc;

import java.util.List;

/**
 * WebRTC settings from the config file.
 *
 * @param port                 the UDP port for every session (ICE-lite, one port), and the ICE-TCP port
 * @param candidates           addresses written into SDP answers as host candidates; a server behind NAT lists its public address
 * @param iceTcp               also listen for ICE-TCP (RFC 6544 passive candidate, RFC 4571 framing) on {@code port}
 * @param consentTimeoutMillis a peer that sends no STUN consent check for this long is closed (RFC 7675 says 30 s; browsers check every ~5 s)
 * @param handshakeTimeoutMillis a session whose ICE and DTLS are not done this long after the offer is closed
 * @param warmUpJoins          WHEP viewers the node plays to itself over loopback UDP at start ({@link WarmUpViewers}), so the JIT
 *                             has compiled a join's and a viewer's code before a surge
 * @param maxHandshakes        DTLS handshakes in progress at once, each on a thread of its own; more wait in line for one
 */
public record WebRtcSettings(int port, List<String> candidates, boolean iceTcp, int consentTimeoutMillis,
                             int handshakeTimeoutMillis, int warmUpJoins, int maxHandshakes) {
    public WebRtcSettings {
        candidates = List.copyOf(candidates);
    }
}
