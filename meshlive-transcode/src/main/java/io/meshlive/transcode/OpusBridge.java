package io.meshlive.transcode;

import io.meshlive.core.AudioTranscoding;
import io.meshlive.core.DerivedSource;
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
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;

/**
 * Reads a stream's audio (AAC, MP3 or G.711: what browsers do not play over WebRTC) on one event
 * loop and publishes it as Opus into the stream's companion; the transcoding itself runs on a
 * transcoding thread ({@link AudioPipe}). The Opus frames keep the source frames' timeline, so
 * viewers line them up with the video. A codec we cannot decode is said once in the log, and the
 * viewers get no audio.
 */
final class OpusBridge extends Session implements Subscriber, DerivedSource {
    private static final Logger log = LoggerFactory.getLogger(OpusBridge.class);

    private final Hub hub;
    private final OpusCompanions companions;
    private final StreamKey main;
    private final StreamKey companionKey;
    private final EventLoop loop;
    private final AudioPipe pipe;

    // Loop-confined.
    private Stream source;
    private Stream companion;
    private boolean closed;

    OpusBridge(Hub hub, OpusCompanions companions, StreamKey main, StreamKey companionKey, EventLoop loop, Executor worker) {
        super("transcode", Role.PUBLISHER, "opus of " + main);
        this.hub = hub;
        this.companions = companions;
        this.main = main;
        this.companionKey = companionKey;
        this.loop = loop;
        this.stream = companionKey;
        this.pipe = new AudioPipe(companionKey.toString(), Codec.OPUS, worker, loop, this::publish);
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
        if (!closed && frame.track() == TrackType.AUDIO && frame.codec() != Codec.OPUS) {
            pipe.push(frame);
        }
    }

    /** An Opus frame from the transcoding thread, back on the loop; takes ownership. */
    private void publish(Frame opus) {
        bytesOut += opus.payload().readableBytes();
        companion.publish(opus);
        companion.endOfBatch();
    }

    @Override
    public void flush() {
        // Published as the transcoder hands frames back, each with its own end of batch.
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
        pipe.close();
        if (source != null) {
            source.unsubscribe(this);
        }
        if (companion != null) {
            companion.detachPublisher(this);
            hub.sessions().remove(this);
        }
        log.info("{}: Opus transcoding stopped: {}", companionKey, reason);
    }

    @Override
    public java.util.Map<String, Object> details() {
        return java.util.Map.of("droppedFrames", pipe.dropped());
    }
}
