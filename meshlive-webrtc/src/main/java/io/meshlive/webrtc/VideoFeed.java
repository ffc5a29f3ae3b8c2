package io.meshlive.webrtc;

import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.media.Frame;
import io.meshlive.media.FrameFormat;

/**
 * One stream a WHEP viewer may take its video from (the stream it asked for, or one of its
 * renditions): the latest decoder configuration, the RTP form its codec takes, and the stream
 * whose statistics its frames count in. Loop-confined.
 */
final class VideoFeed {
    final StreamKey key;
    private Stream stream;
    private long subscribedNanos;
    private Frame config;
    private FrameFormat format;

    VideoFeed(StreamKey key) {
        this.key = key;
    }

    void subscribed(Stream s, long nowNanos) {
        stream = s;
        subscribedNanos = nowNanos;
    }

    /** The hub stream, or null before the subscription is made. */
    Stream stream() {
        return stream;
    }

    /** Whether {@code frame} arrived after the subscription, rather than from the stream's cache. */
    boolean isLive(Frame frame) {
        return frame.arrivalNanos() >= subscribedNanos;
    }

    /** A new decoder configuration, retained, with its RTP form; a null format means WebRTC cannot carry it. */
    void configure(Frame frame, FrameFormat rtpFormat) {
        release();
        format = rtpFormat;
        config = rtpFormat == null ? null : frame.retain();
    }

    Frame config() {
        return config;
    }

    /** The RTP form of the frames, or null when there is no usable configuration yet. */
    FrameFormat format() {
        return format;
    }

    void release() {
        if (config != null) {
            config.release();
            config = null;
        }
    }

    @Override
    public String toString() {
        return key.toString();
    }
}
