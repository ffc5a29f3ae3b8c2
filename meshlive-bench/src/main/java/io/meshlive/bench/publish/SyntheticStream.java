package io.meshlive.bench.publish;

/**
 * What a synthetic stream looks like.
 *
 * @param videoBitrate bits per second of video (audio adds about 69 kbit/s)
 * @param gop          frames from one keyframe to the next
 */
public record SyntheticStream(long videoBitrate, int fps, int gop, VideoSize size) {
    public SyntheticStream {
        if (videoBitrate < 1000 || fps < 1 || fps > 240 || gop < 1) {
            throw new IllegalArgumentException("synthetic stream needs a bit rate of at least 1k, 1-240 fps and a GOP of 1 or more");
        }
    }

    @Override
    public String toString() {
        return size + " " + fps + " fps, " + videoBitrate / 1000 + " kbit/s video, keyframe every " + gop + " frames";
    }
}
