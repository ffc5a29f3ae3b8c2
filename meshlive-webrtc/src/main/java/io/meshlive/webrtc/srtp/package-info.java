/**
 * SRTP and SRTCP (RFC 3711) with the two profiles browsers negotiate over DTLS-SRTP:
 * AES128_CM_HMAC_SHA1_80 and AEAD_AES_128_GCM (RFC 7714), on the JDK's AES, which runs on AES-NI.
 *
 * <p>{@link io.meshlive.webrtc.srtp.SrtpKeys} splits the DTLS exporter's keying material;
 * {@link io.meshlive.webrtc.srtp.SrtpContext} protects or unprotects packets in place in Netty
 * buffers, heap or direct, for one direction. Not supported: MKI, key derivation rates other than
 * 0, encrypted header extensions (RFC 6904), and rekeying (a new DTLS handshake means new contexts).
 */
package io.meshlive.webrtc.srtp;
