package io.meshlive.core;

import io.meshlive.media.Frame;
import io.netty.channel.EventLoop;

/**
 * Something that reads a stream: a viewer, and later a recorder, transcoder or relay.
 * Every call arrives on {@link #eventLoop()}, in stream order.
 */
public interface Subscriber {
    EventLoop eventLoop();

    /** Called once, on the event loop, just before the stream's cached frames are replayed. */
    void onSubscribed(Stream stream);

    /**
     * The next frame. The frame is only lent for the call: retain it to keep it.
     *
     * @param nowNanos {@link System#nanoTime()} read once for the whole batch being dispatched
     */
    void onFrame(Frame frame, long nowNanos);

    /** The end of a batch of frames: write out what was queued. */
    void flush();

    /** The publisher left; a new one may come. Frames after this call start a new timeline. */
    void onPublisherGone();

    /** The stream ended for good (timeout, forbid): the subscriber should close. */
    void onStreamClosed(String reason);
}
