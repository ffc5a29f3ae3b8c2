package io.meshlive.webrtc.sdp;

import io.meshlive.core.ClientText;
import io.meshlive.webrtc.sctp.SctpAssociation;

/**
 * An accepted data channel m-line (RFC 8841): SCTP over the BUNDLE's DTLS association.
 *
 * @param mid                   its mid
 * @param remotePort            the offer's a=sctp-port (5000 when absent)
 * @param remoteMaxMessageSize  the offer's a=max-message-size (65536 when absent, 0: no limit)
 */
public record SctpParameters(String mid, int remotePort, long remoteMaxMessageSize) {
    /** The SCTP port we answer with, the one every browser uses. */
    public static final int LOCAL_PORT = 5000;
    /** The a=max-message-size we answer: what our SCTP association reassembles. */
    public static final int LOCAL_MAX_MESSAGE_SIZE = SctpAssociation.MAX_MESSAGE;
    static final String PROTOCOL_UDP = "UDP/DTLS/SCTP";
    static final String PROTOCOL_TCP = "TCP/DTLS/SCTP";
    static final String FORMAT = "webrtc-datachannel";
    private static final long DEFAULT_MAX_MESSAGE_SIZE = 65536;

    /** Reads the offer's data channel m-line; an error names a malformed attribute. */
    static SctpParameters of(MediaDescription m) throws SdpException {
        return new SctpParameters(m.mid(), (int) number(m, "sctp-port", 65535, SctpParameters.LOCAL_PORT),
                number(m, "max-message-size", 0xFFFFFFFFL, DEFAULT_MAX_MESSAGE_SIZE));
    }

    private static long number(MediaDescription m, String name, long max, long absent) throws SdpException {
        String v = m.attribute(name);
        if (v == null) {
            return absent;
        }
        long n = Numbers.parse(v.trim(), max);
        if (n < 0) {
            throw new SdpException("offer's a=" + name + " is not a number from 0 to " + max + ": " + ClientText.quote(v));
        }
        return n;
    }
}
