package io.meshlive.webrtc.sdp;

/**
 * What we can put in (or take from) a session.
 *
 * @param video        the video we send, or the H.264 profile we prefer to receive; null for no video
 * @param audio        whether we can send or receive Opus
 * @param dataChannels whether we accept an offer's data channel m-line (RFC 8841)
 */
public record Capabilities(StreamVideo video, boolean audio, boolean dataChannels) {
    public Capabilities(StreamVideo video, boolean audio) {
        this(video, audio, false);
    }
}
