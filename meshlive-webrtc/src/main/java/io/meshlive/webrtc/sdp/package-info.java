/**
 * SDP (RFC 8866) as WebRTC uses it: {@link io.meshlive.webrtc.sdp.SessionDescription#parse parsing}
 * an offer from a browser, OBS or any WHIP/WHEP client, and {@link io.meshlive.webrtc.sdp.Negotiation
 * answering} it (JSEP, RFC 8829) as an ICE-lite, DTLS-server endpoint that either sends a stream
 * (WHEP) or receives one (WHIP).
 */
package io.meshlive.webrtc.sdp;
