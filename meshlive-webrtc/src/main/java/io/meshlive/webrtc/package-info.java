/**
 * WebRTC for meshlive: WHEP playback and WHIP ingest over ICE-lite on one UDP port (and ICE-TCP).
 * One package per layer, each testable alone: {@code sdp}, {@code stun}, {@code dtls},
 * {@code srtp}, {@code rtp}, {@code rtcp}.
 */
package io.meshlive.webrtc;
