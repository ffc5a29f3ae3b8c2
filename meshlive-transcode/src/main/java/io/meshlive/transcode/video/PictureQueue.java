package io.meshlive.transcode.video;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The pictures waiting for one rendition's encoder, a few at most. When the encoder falls behind, a
 * new picture is discarded rather than queued, unless it must be a keyframe: then it takes the
 * place of the oldest waiting picture that need not be one. Every rendition's GOPs must start on
 * the same pictures (players switch renditions at keyframes, HLS cuts segments there), and which
 * pictures an encoder loses depends on its own load, so it loses pictures between keyframes. A
 * keyframe that still finds no room (every waiting picture is one) is owed: the next picture
 * queued becomes one.
 *
 * <p>One producer (the decoder thread) offers; one consumer (the encoder thread) takes; anyone
 * may drain at the end. Each picture is either taken once or discarded once.
 *
 * @param <P> a picture; {@code discard} frees one that will not be encoded
 */
final class PictureQueue<P> {
    /** A picture, and whether the encoder must make it a keyframe. */
    record Entry<P>(P picture, long arrivalNanos, boolean keyframe) {
    }

    private final Entry<P> end = new Entry<>(null, 0, false);
    private final BlockingQueue<Entry<P>> entries;
    private final Consumer<P> discard;
    private final AtomicLong discarded = new AtomicLong();
    // Producer only.
    private boolean keyframeOwed;

    PictureQueue(int capacity, Consumer<P> discard) {
        this.entries = new ArrayBlockingQueue<>(capacity);
        this.discard = discard;
    }

    /** From the producer: queues {@code picture}, or discards it and counts it when there is no room. */
    void offer(P picture, long arrivalNanos, boolean keyframe) {
        boolean key = keyframe || keyframeOwed;
        Entry<P> entry = new Entry<>(picture, arrivalNanos, key);
        if (entries.offer(entry) || (key && discardOneBetweenKeyframes() && entries.offer(entry))) {
            keyframeOwed = false;
            return;
        }
        discardCounted(picture);
        keyframeOwed = key;
    }

    /** Frees the oldest waiting picture that need not be a keyframe; false when every one must. */
    private boolean discardOneBetweenKeyframes() {
        for (Entry<P> e : entries) {
            if (e != end && !e.keyframe() && entries.remove(e)) { // the consumer may have taken it meanwhile
                discardCounted(e.picture());
                return true;
            }
        }
        return false;
    }

    private void discardCounted(P picture) {
        discard.accept(picture);
        discarded.incrementAndGet();
    }

    /**
     * From any thread: tells the consumer to stop once it has taken what waits before; false when
     * there is no room (then interrupt it).
     */
    boolean end() {
        return entries.offer(end);
    }

    /** Whether {@code e}, from {@link #take}, is the end rather than a picture. */
    boolean isEnd(Entry<P> e) {
        return e == end;
    }

    /** From the consumer: the next picture, waiting for one. */
    Entry<P> take() throws InterruptedException {
        return entries.take();
    }

    /** Frees every waiting picture (uncounted: the rendition is ending); safe from any thread. */
    void drain() {
        Entry<P> left;
        while ((left = entries.poll()) != null) {
            if (left != end) {
                discard.accept(left.picture());
            }
        }
    }

    /** Pictures the encoder was too far behind to take. */
    long discarded() {
        return discarded.get();
    }
}
