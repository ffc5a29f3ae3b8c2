package io.meshlive.server.snapshot;

import io.meshlive.core.Hub;
import io.meshlive.core.LatestKeyframe;
import io.meshlive.core.Stream;
import io.meshlive.core.StreamKey;
import io.meshlive.transcode.TranscodeException;
import io.meshlive.transcode.snapshot.Snapshot;
import io.meshlive.transcode.snapshot.SnapshotMaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Each live stream's latest keyframe as JPEG, decoded only when someone asks and then once per
 * keyframe and width: every caller asking while a keyframe is current shares one decode (or its
 * failure), and a new keyframe replaces the stream's cached pictures. Nothing is decoded, and no
 * frame kept, for a stream nobody asks about: the keyframe comes from the hub's GOP cache.
 */
public final class LiveSnapshots {
    private static final Logger log = LoggerFactory.getLogger(LiveSnapshots.class);

    /** The pictures made of one keyframe, by width asked. */
    private record OfKeyframe(long keyframeId, ConcurrentHashMap<Integer, CompletableFuture<Snapshot>> byWidth) {
        OfKeyframe(long keyframeId) {
            this(keyframeId, new ConcurrentHashMap<>());
        }
    }

    private final Hub hub;
    private final SnapshotMaker maker;
    private final Executor decoding;
    private final ConcurrentHashMap<StreamKey, OfKeyframe> cache = new ConcurrentHashMap<>();
    /** Streams whose last decode failed: their failure is logged once, not on every request. */
    private final Set<StreamKey> failing = ConcurrentHashMap.newKeySet();

    /** {@code decoding} runs the FFmpeg work; it must not be an event loop. */
    public LiveSnapshots(Hub hub, SnapshotMaker maker, Executor decoding) {
        this.hub = hub;
        this.maker = maker;
        this.decoding = decoding;
    }

    /**
     * The latest keyframe of {@code key} as JPEG, {@code width} pixels wide (0: the source's
     * width). Completes with null when the stream is not live or has no video keyframe yet, and
     * exceptionally with a {@link TranscodeException} when the keyframe does not decode. May
     * complete on an event loop: callers do no blocking work in what they chain to it.
     */
    public CompletableFuture<LiveSnapshot> latest(StreamKey key, int width) {
        Stream stream = hub.streams().get(key);
        if (stream == null || stream.publisher() == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<LiveSnapshot> result = new CompletableFuture<>();
        stream.latestKeyframe(k -> {
            if (k == null) {
                result.complete(null);
                return;
            }
            long id = k.keyframe().arrivalNanos();
            pictureOf(key, k, width).whenComplete((picture, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(new LiveSnapshot(picture, id));
                }
            });
        });
        return result;
    }

    /** The cached picture of this keyframe at this width, or a new decode of it; takes ownership of {@code k}. */
    private CompletableFuture<Snapshot> pictureOf(StreamKey key, LatestKeyframe k, int width) {
        long id = k.keyframe().arrivalNanos();
        OfKeyframe entry = cache.compute(key, (x, old) -> old != null && old.keyframeId() == id ? old : new OfKeyframe(id));
        CompletableFuture<Snapshot> fresh = new CompletableFuture<>();
        CompletableFuture<Snapshot> cached = entry.byWidth().putIfAbsent(width, fresh);
        if (cached != null) {
            k.release();
            return cached;
        }
        try {
            decoding.execute(() -> decode(key, k, width, fresh));
        } catch (RejectedExecutionException closed) {
            k.release();
            fresh.completeExceptionally(new TranscodeException("the server is shutting down"));
        }
        return fresh;
    }

    private void decode(StreamKey key, LatestKeyframe k, int width, CompletableFuture<Snapshot> out) {
        try {
            Snapshot s = maker.make(k.keyframe().codec(), k.config().payload(), k.keyframe().payload(), width);
            failing.remove(key);
            out.complete(s);
        } catch (TranscodeException | RuntimeException e) {
            if (failing.add(key)) {
                log.warn("stream {}: no snapshot, the latest keyframe ({}) does not decode: {}", key, k.keyframe(), e.getMessage());
            }
            out.completeExceptionally(e);
        } finally {
            k.release();
        }
    }

    /** Forgets the pictures of streams that ended. */
    void dropEnded() {
        cache.keySet().removeIf(key -> hub.streams().get(key) == null);
        failing.removeIf(key -> hub.streams().get(key) == null);
    }
}
