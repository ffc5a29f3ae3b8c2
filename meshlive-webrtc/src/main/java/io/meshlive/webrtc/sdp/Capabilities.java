package io.meshlive.webrtc.sdp;

/**
 * What we can put in (or take from) a session.
 *
 * @param video the video we send, or the H.264 profile we prefer to receive; null for no video
 * @param audio whether we can send or receive Opus
 */
public record Capabilities(StreamVideo video, boolean audio) {
}
