package io.meshlive.transcode;

import io.meshlive.core.AudioTranscoding;
import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One stream's audio transcoded off the I/O loop: frames pushed on the owner's loop go to a
 * transcoding thread, and the frames FFmpeg makes of them come back to the loop, one task per
 * input frame, for the owner to publish there. The source codec may change on the way (a new
 * transcoder then); a codec that cannot be decoded, or a transcoder that fails, is said once in
 * the log and its frames are skipped until the codec changes.
 */
final class AudioPipe implements AudioTranscoding.Converter {
    private static final Logger log = LoggerFactory.getLogger(AudioPipe.class);
    /**
     * About five seconds of AAC (or Opus) frames: room for the GOP cache a new subscriber is
     * replayed at once; past it the thread is behind and frames are dropped.
     */
    static final int MAX_QUEUED = 250;

    private final String name;
    private final Codec to;
    private final Executor worker;
    private final EventLoop loop;
    private final Consumer<Frame> out;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    /** Set on the loop; read on the loop (deliveries) and, as a hint, by the worker. */
    private volatile boolean closed;
    /** Loop-confined: dropping now; said once per spell. */
    private boolean behind;

    // Worker-confined.
    private final List<Frame> produced = new ArrayList<>();
    private AudioTranscoder transcoder;
    private Codec from;

    AudioPipe(String name, Codec to, Executor worker, EventLoop loop, Consumer<Frame> out) {
        this.name = name;
        this.to = to;
        this.worker = worker;
        this.loop = loop;
        this.out = out;
    }

    @Override
    public void push(Frame frame) {
        if (closed) {
            return;
        }
        int waiting = queued.incrementAndGet();
        if (waiting > MAX_QUEUED) {
            queued.decrementAndGet();
            long n = dropped.incrementAndGet();
            if (!behind) {
                behind = true;
                log.warn("{}: audio transcoding {} frames behind, dropping until it catches up ({} dropped so far)",
                        name, MAX_QUEUED, n);
            }
            return;
        }
        if (waiting < MAX_QUEUED / 2) {
            behind = false;
        }
        Frame held = frame.retain();
        try {
            worker.execute(() -> transcode(held));
        } catch (RejectedExecutionException stopping) {
            queued.decrementAndGet();
            held.release();
        }
    }

    /** Frames dropped because the transcoding thread was behind. */
    long dropped() {
        return dropped.get();
    }

    private void transcode(Frame in) {
        queued.decrementAndGet();
        try {
            if (!closed && ready(in.codec())) {
                transcoder.push(in, produced::add);
            }
        } catch (TranscodeException e) {
            log.warn("{}: {} to {} failed, skipped until the source codec changes: {}", name, from.displayName(),
                    to.displayName(), e.getMessage());
            closeTranscoder();
        } finally {
            in.release();
            // Whatever the transcoder made before a failure is handed on (or released) too.
            if (!produced.isEmpty()) {
                deliver(List.copyOf(produced));
                produced.clear();
            }
        }
    }

    /** A transcoder for {@code codec}; false when there is none (said once per codec). */
    private boolean ready(Codec codec) {
        if (codec == from) {
            return transcoder != null;
        }
        closeTranscoder();
        from = codec;
        if (!AudioTranscoder.canDecode(codec)) {
            log.warn("{}: cannot transcode {} audio to {}", name, codec.displayName(), to.displayName());
            return false;
        }
        transcoder = to == Codec.OPUS ? AudioTranscoder.toOpus(codec, PooledByteBufAllocator.DEFAULT)
                : AudioTranscoder.toAac(codec, PooledByteBufAllocator.DEFAULT);
        log.info("{}: transcoding {} to {}", name, codec.displayName(), to.displayName());
        return true;
    }

    private void deliver(List<Frame> frames) {
        try {
            loop.execute(() -> {
                for (Frame f : frames) {
                    if (closed) {
                        f.release();
                    } else {
                        out.accept(f);
                    }
                }
            });
        } catch (RejectedExecutionException stopping) {
            frames.forEach(Frame::release);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            worker.execute(this::closeTranscoder);
        } catch (RejectedExecutionException stopping) {
            // The transcoding threads are gone with the server, and the native memory with the process.
        }
    }

    private void closeTranscoder() {
        if (transcoder != null) {
            transcoder.close();
            transcoder = null;
        }
    }
}
