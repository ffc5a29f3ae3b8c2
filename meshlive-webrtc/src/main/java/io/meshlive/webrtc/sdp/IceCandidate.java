package io.meshlive.webrtc.sdp;

import java.util.Objects;

/**
 * One of our ICE candidates (RFC 8839 §5.1). As an ICE-lite server we only have host candidates:
 * UDP, and TCP passive (RFC 6544).
 *
 * @param transport "udp" or "tcp"
 * @param type      "host"
 * @param tcpType   null for UDP, "passive" for a TCP listener
 */
public record IceCandidate(String foundation, int component, String transport, long priority, String address,
                           int port, String type, String tcpType) {
    public IceCandidate {
        Objects.requireNonNull(foundation, "foundation");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
        if (!transport.equals("udp") && !transport.equals("tcp")) {
            throw new IllegalArgumentException("transport " + transport);
        }
        if ((tcpType != null) != transport.equals("tcp")) {
            throw new IllegalArgumentException("a tcptype goes with tcp, and only with tcp");
        }
        if (component < 1 || component > 256 || port < 0 || port > 65535 || priority < 1 || priority > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("component " + component + ", port " + port + ", priority " + priority);
        }
    }

    /** The value of {@code a=candidate}: "1 1 udp 2130706431 192.0.2.1 8000 typ host". */
    public String toSdpValue() {
        String value = foundation + " " + component + " " + transport + " " + priority + " " + address + " " + port
                + " typ " + type;
        return tcpType == null ? value : value + " tcptype " + tcpType;
    }
}
