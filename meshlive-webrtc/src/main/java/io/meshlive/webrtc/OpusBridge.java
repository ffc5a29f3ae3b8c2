package io.meshlive.webrtc;

import io.meshlive.core.Hub;
import io.meshlive.core.PublishOutcome;
import io.meshlive.core.Session;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.core.StreamRegistry;
import io.meshlive.core.Subscriber;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.TrackType;
import io.meshlive.transcode.AudioTranscoder;
import io.meshlive.transcode.TranscodeException;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a stream's audio (AAC, MP3 or G.711: what browsers do not play over WebRTC) and publishes
 * it as Opus into the stream's companion, on one event loop. The Opus frames keep the source
 * frames' timeline, so viewers line them up with the video. A codec we cannot decode is said once
 * in the log, and the viewers get no audio.
 */
final class OpusBridge extends Session implements Subscriber {
    private static final Logger log = LoggerFactory.getLogger(OpusBridge.class);

    private final Hub hub;
    private final OpusCompanions companions;
    private final StreamKey main;
    private final StreamKey companionKey;
    private final EventLoop loop;

    // Loop-confined.
    private AudioTranscoder transcoder;
    private Codec transcoding;
    private Stream source;
    private Stream companion;
    private boolean closed;

    OpusBridge(Hub hub, OpusCompanions companions, StreamKey main, StreamKey companionKey, EventLoop loop) {
        super("transcode", Role.PUBLISHER, "opus of " + main);
        this.hub = hub;
        this.companions = companions;
        this.main = main;
        this.companionKey = companionKey;
        this.loop = loop;
        this.stream = companionKey;
    }

    void start() {
        loop.execute(() -> {
            if (closed) {
                return;
            }
            StreamRegistry.Attached attached = hub.streams().attachPublisher(companionKey, this);
            if (attached.outcome() == PublishOutcome.BUSY) {
                closed = true; // someone (a WHIP publisher) already sends Opus there
                companions.ended(main, this);
                return;
            }
            companion = attached.stream();
            hub.sessions().add(this);
            hub.streams().subscribe(main, this);
            log.info("{}: made from {} for WebRTC viewers, its audio transcoded to Opus", companionKey, main);
        });
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public void onSubscribed(Stream stream) {
        source = stream;
    }

    @Override
    public void onFrame(Frame frame, long nowNanos) {
        if (closed || frame.track() != TrackType.AUDIO || frame.codec() == Codec.OPUS) {
            return;
        }
        if (frame.codec() != transcoding && !start(frame.codec()) || transcoder == null) {
            return; // a codec we cannot decode: said once when it appeared
        }
        try {
            transcoder.push(frame, out -> {
                stats(out);
                companion.publish(out);
            });
        } catch (TranscodeException e) {
            close(transcoding.displayName() + " to Opus failed: " + e.getMessage());
        }
    }

    /** A (new) source codec: a transcoder for it, or false when we cannot decode it (said once). */
    private boolean start(Codec codec) {
        if (transcoder != null) {
            transcoder.close();
            transcoder = null;
        }
        transcoding = codec;
        if (!AudioTranscoder.canDecode(codec)) {
            log.warn("{}: cannot transcode {} audio to Opus; WebRTC viewers of {} get no audio", companionKey,
                    codec.displayName(), main);
            return false;
        }
        transcoder = AudioTranscoder.toOpus(codec, PooledByteBufAllocator.DEFAULT);
        log.info("{}: transcoding {} to Opus", companionKey, codec.displayName());
        return true;
    }

    private void stats(Frame out) {
        bytesOut += out.payload().readableBytes();
    }

    @Override
    public void flush() {
        if (companion != null) {
            companion.endOfBatch();
        }
    }

    @Override
    public void onPublisherGone() {
        // The source's next publisher starts a new timeline; the transcoder resyncs on the jump.
    }

    @Override
    public void onStreamClosed(String reason) {
        close(reason);
    }

    @Override
    public void close(String reason) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> close(reason));
            return;
        }
        if (closed) {
            return;
        }
        closed = true;
        companions.ended(main, this);
        if (source != null) {
            source.unsubscribe(this);
        }
        if (companion != null) {
            companion.detachPublisher(this);
            hub.sessions().remove(this);
        }
        if (transcoder != null) {
            transcoder.close();
        }
        log.info("{}: Opus transcoding stopped: {}", companionKey, reason);
    }
}
