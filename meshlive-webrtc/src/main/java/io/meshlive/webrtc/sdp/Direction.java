package io.meshlive.webrtc.sdp;

import java.util.Locale;

/** Media direction attributes (RFC 8866 §6.7), from the point of view of the side that wrote them. */
public enum Direction {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    public String sdpName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the side that wrote this direction sends media. */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /** Whether the side that wrote this direction receives media. */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    /** The direction an attribute name stands for, or null if it is not a direction attribute. */
    static Direction ofAttribute(String name) {
        for (Direction d : values()) {
            if (d.sdpName().equals(name)) {
                return d;
            }
        }
        return null;
    }
}
