package io.meshlive.webrtc;

import io.meshlive.core.AudioTranscoding;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.StreamRegistry;
import io.meshlive.core.Subscriber;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.netty.channel.EventLoop;

import java.util.function.Consumer;

/**
 * A WHEP viewer's audio when the stream's is not Opus: the stream's Opus companion, transcoded
 * once for every viewer elsewhere ({@link AudioTranscoding#acquireOpus}), read on the viewer's
 * loop alongside the stream. Loop-confined.
 */
final class CompanionAudio implements Subscriber {
    private final AudioTranscoding audio;
    private final StreamRegistry streams;
    private final StreamKey main;
    private final EventLoop loop;
    private final Consumer<Frame> send;
    private final Runnable flush;
    private final Runnable resync;
    private Stream companion;
    private StreamKey key;

    /**
     * @param send   an Opus media frame to send (lent for the call)
     * @param resync the companion's publisher changed: a new timeline
     */
    CompanionAudio(AudioTranscoding audio, StreamRegistry streams, StreamKey main, EventLoop loop,
                   Consumer<Frame> send, Runnable flush, Runnable resync) {
        this.audio = audio;
        this.streams = streams;
        this.main = main;
        this.loop = loop;
        this.send = send;
        this.flush = flush;
        this.resync = resync;
    }

    void start() {
        key = audio.acquireOpus(main);
        if (key != null) {
            streams.subscribe(key, this);
        }
    }

    void stop() {
        if (companion != null) {
            companion.unsubscribe(this);
            companion = null;
        }
        if (key != null) {
            audio.releaseOpus(main);
            key = null;
        }
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public void onSubscribed(Stream s) {
        companion = s;
    }

    @Override
    public void onFrame(Frame frame, long nowNanos) {
        if (key != null && frame.codec() == Codec.OPUS && !frame.isConfig()) {
            send.accept(frame);
        }
    }

    @Override
    public void flush() {
        flush.run();
    }

    @Override
    public void onPublisherGone() {
        resync.run();
    }

    @Override
    public void onStreamClosed(String reason) {
        companion = null;
    }
}
