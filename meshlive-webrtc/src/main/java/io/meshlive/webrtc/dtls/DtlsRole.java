package io.meshlive.webrtc.dtls;

/**
 * Which end of the DTLS handshake we play. In WebRTC the SDP {@code a=setup} attribute decides:
 * {@code active} is the client, {@code passive} the server.
 */
public enum DtlsRole {
    SERVER,
    CLIENT
}
