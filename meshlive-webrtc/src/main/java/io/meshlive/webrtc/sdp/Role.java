package io.meshlive.webrtc.sdp;

/** What meshlive does with the media of a session. */
public enum Role {
    /** WHEP playback: we send the stream, the client receives it. */
    SEND,
    /** WHIP ingest: the client sends, we receive. */
    RECEIVE
}
