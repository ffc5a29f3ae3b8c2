package io.meshlive.transcode;

import io.meshlive.core.AudioTranscoding;
import io.meshlive.core.Hub;
import io.meshlive.core.StreamKey;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.netty.channel.EventLoop;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The node's audio transcoding: Opus companions for WebRTC viewers and AAC for WHIP publishers,
 * on a few transcoding threads of their own (one per core), never on an I/O loop. Each stream's
 * audio stays on one thread, so its frames are transcoded in order; streams are dealt to the
 * threads in turn.
 */
public final class AudioService implements AudioTranscoding, AutoCloseable {
    private final ExecutorService[] threads;
    private final AtomicInteger next = new AtomicInteger();
    private final OpusCompanions companions;

    public AudioService(Hub hub) {
        this(hub, Runtime.getRuntime().availableProcessors());
    }

    AudioService(Hub hub, int threadCount) {
        threads = new ExecutorService[Math.max(1, threadCount)];
        for (int i = 0; i < threads.length; i++) {
            String name = "meshlive-audio-" + i;
            threads[i] = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
        companions = new OpusCompanions(hub, this::nextThread);
    }

    private ExecutorService nextThread() {
        return threads[Math.floorMod(next.getAndIncrement(), threads.length)];
    }

    @Override
    public StreamKey acquireOpus(StreamKey main) {
        return companions.acquire(main);
    }

    @Override
    public void releaseOpus(StreamKey main) {
        companions.release(main);
    }

    @Override
    public Converter toAac(String name, EventLoop loop, Consumer<Frame> out) {
        return new AudioPipe(name, Codec.AAC, nextThread(), loop, out);
    }

    @Override
    public void close() {
        for (ExecutorService t : threads) {
            t.shutdown();
        }
    }
}
