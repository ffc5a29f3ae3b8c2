package io.meshlive.media;

/** What a frame belongs to. DATA carries timed metadata and cues (AMF0 in RTMP/FLV). */
public enum TrackType {
    VIDEO, AUDIO, DATA
}
