/**
 * DTLS 1.2 with the {@code use_srtp} extension (RFC 5764), as WebRTC uses it: both ends present
 * self-signed certificates that are trusted by the SHA-256 fingerprint carried in the SDP
 * (RFC 8122), and the handshake's only product is SRTP keying material. Built on BouncyCastle's
 * blocking DTLS API, driven off the event loop; see {@link io.meshlive.webrtc.dtls.DtlsTransport}.
 */
package io.meshlive.webrtc.dtls;
