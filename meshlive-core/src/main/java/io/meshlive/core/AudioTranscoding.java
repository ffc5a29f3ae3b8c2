package io.meshlive.core;

import io.meshlive.media.Frame;
import io.netty.channel.EventLoop;

import java.util.function.Consumer;

/**
 * Audio made into another codec for protocols that cannot carry the publisher's: Opus for WebRTC
 * viewers of an AAC stream, AAC for RTMP/FLV/HLS viewers of a WHIP (Opus) publisher. The work
 * runs on transcoding threads, never on an I/O event loop. Implemented by meshlive-transcode and
 * handed to the protocols by the server, so no protocol module depends on FFmpeg.
 */
public interface AudioTranscoding {
    /** The suffix of a stream's Opus companion, {@code app/name.opus}. */
    String OPUS_COMPANION_SUFFIX = ".opus";

    /** The stream that carries {@code main}'s audio as Opus, or null when main's name leaves no room for the suffix. */
    static StreamKey opusCompanionOf(StreamKey main) {
        try {
            return new StreamKey(main.app(), main.name() + OPUS_COMPANION_SUFFIX);
        } catch (IllegalArgumentException nameTooLong) {
            return null;
        }
    }

    /**
     * A viewer of {@code main} needs its audio as Opus: makes sure the Opus companion is fed
     * (transcoded once for every viewer, unless a WHIP publisher fills it with its own Opus).
     * Returns the companion's key, or null when there can be none. Any thread.
     */
    StreamKey acquireOpus(StreamKey main);

    /** A viewer that {@link #acquireOpus acquired} main's companion left; the last one stops the transcoding. */
    void releaseOpus(StreamKey main);

    /**
     * A converter to AAC for one publisher: frames pushed on {@code loop} are transcoded on a
     * transcoding thread, and what comes out is handed to {@code out} on {@code loop}, in order,
     * ownership passed, until {@link Converter#close()}.
     *
     * @param name what the log calls it (the stream)
     */
    Converter toAac(String name, EventLoop loop, Consumer<Frame> out);

    /** Audio frames of any codec in, frames of the target codec out (see {@link #toAac}). */
    interface Converter {
        /**
         * Queues a config or media frame for transcoding; the caller keeps its reference. When the
         * transcoder is a second behind, the frame is dropped (counted) instead. On the loop.
         */
        void push(Frame frame);

        /** Stops: nothing is handed out after this returns. On the loop; idempotent. */
        void close();
    }
}
