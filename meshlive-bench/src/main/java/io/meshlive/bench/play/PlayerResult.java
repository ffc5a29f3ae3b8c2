package io.meshlive.bench.play;

import io.meshlive.bench.StreamUrl;

/**
 * What one player had at one moment.
 *
 * @param timeToFirstFrameNanos from starting to connect (a WHEP player: to POST its offer) to the first video picture
 *                              (a WHEP player: the first packet of its first keyframe), or -1 before it
 * @param firstVideoAtNanos     {@link System#nanoTime()} of that picture, or 0
 * @param scriptData            RTMP data messages / FLV script tags (type 18: onMetaData, cues)
 * @param lastMediaTimestamp    RTMP/FLV timestamp (ms) of the last audio or video frame, or -1
 * @param sampledAtNanos        {@link System#nanoTime()} when this was taken
 * @param hls                   an LL-HLS player's own counts (its parts are counted as video frames), else null
 * @param whep                  a WHEP player's own counts, else null
 * @param whepJoin              when a WHEP player passed each step of its join, else null
 */
public record PlayerResult(int index, StreamUrl url, State state, String reason, long bytes,
                           long videoFrames, long audioFrames, long scriptData, long timeToFirstFrameNanos,
                           long firstVideoAtNanos, long lastMediaTimestamp, long sampledAtNanos,
                           HlsCounts hls, WhepCounts whep, WhepJoin whepJoin) {
    public enum State { WAITING, CONNECTING, CONNECTED, FAILED, CLOSED }

    public boolean connected() {
        return state == State.CONNECTED;
    }

    /** Failed to connect, or was closed. */
    public boolean ended() {
        return state == State.FAILED || state == State.CLOSED;
    }

    public boolean hasVideo() {
        return videoFrames > 0;
    }
}
