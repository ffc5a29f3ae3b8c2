package io.meshlive.webrtc.dtls;

/**
 * What a completed handshake yields for SRTP.
 *
 * @param srtpProfileId         the negotiated protection profile, one of {@link SrtpProfile}'s ids
 * @param keyingMaterial        RFC 5764 §4.2 exporter output for label "EXTRACTOR-dtls_srtp":
 *                              client key, server key, client salt, server salt
 *                              ({@link SrtpProfile#keyingMaterialLength} bytes)
 * @param peerFingerprintSha256 SHA-256 of the peer's certificate, already checked against the SDP
 */
public record DtlsResult(int srtpProfileId, byte[] keyingMaterial, byte[] peerFingerprintSha256) {
}
