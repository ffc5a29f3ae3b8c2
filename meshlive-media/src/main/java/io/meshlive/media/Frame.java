package io.meshlive.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * One access unit of one track, shared read-only by every reader of a stream.
 *
 * <p>Ownership: a frame starts with a reference count of one, held by whoever created it. Each
 * holder that keeps it past the call that handed it over (a GOP cache, a viewer queue) calls
 * {@link #retain()} and later {@link #release()}. The payload and every cached wire form are
 * released together with the last reference; nobody releases the payload separately.
 *
 * <p>Times are microseconds on the stream's own timeline. {@link #arrivalNanos()} is
 * {@link System#nanoTime()} when the frame entered this node, so each hop measures what it adds.
 * {@link #originMicros()} is the wall clock when the frame entered the cluster (the host's ingest
 * node); relays keep it, so every node knows how far behind the host it is. {@link #sequence()}
 * numbers a stream's frames from its origin, so a relay can resume "from sequence N".
 */
public final class Frame extends AbstractReferenceCounted {
    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<Frame, AtomicReferenceArray> ENCODED =
            AtomicReferenceFieldUpdater.newUpdater(Frame.class, AtomicReferenceArray.class, "encoded");

    private final Codec codec;
    private final long dts;
    private final long pts;
    private final boolean keyframe;
    private final boolean config;
    private final ByteBuf payload;
    private final long arrivalNanos;
    private final long originMicros;
    /** Stamped once by the origin's hub before the frame is shared, or carried in by a relay; -1 until then. */
    private long sequence;
    /** The origin claim the frame was published under (higher for each new publish of the stream). */
    private long epoch;
    private volatile AtomicReferenceArray<ByteBuf> encoded;

    private Frame(Codec codec, long dts, long pts, boolean keyframe, boolean config, ByteBuf payload, long arrivalNanos,
                  long originMicros, long epoch, long sequence) {
        this.originMicros = originMicros;
        this.epoch = epoch;
        this.sequence = sequence;
        this.codec = codec;
        this.dts = dts;
        this.pts = pts;
        this.keyframe = keyframe;
        this.config = config;
        this.payload = payload;
        this.arrivalNanos = arrivalNanos;
    }

    /** A coded frame; takes ownership of {@code payload}. */
    public static Frame media(Codec codec, long dts, long pts, boolean keyframe, ByteBuf payload, long arrivalNanos) {
        return new Frame(codec, dts, pts, keyframe || codec.track() == TrackType.AUDIO, false, payload, arrivalNanos,
                WallClock.microsAt(arrivalNanos), 0, -1);
    }

    /** A decoder configuration record (avcC, AudioSpecificConfig...); takes ownership of {@code payload}. */
    public static Frame config(Codec codec, long dts, ByteBuf payload, long arrivalNanos) {
        return new Frame(codec, dts, dts, false, true, payload, arrivalNanos, WallClock.microsAt(arrivalNanos), 0, -1);
    }

    /** A script-data message (onMetaData, a cue); takes ownership of {@code payload}. */
    public static Frame data(long dts, ByteBuf payload, long arrivalNanos) {
        return new Frame(Codec.AMF0, dts, dts, false, false, payload, arrivalNanos, WallClock.microsAt(arrivalNanos), 0, -1);
    }

    /**
     * A frame received from another node, exactly as its origin made it (flags, origin time and
     * sequence included); takes ownership of {@code payload}.
     */
    public static Frame relayed(Codec codec, long dts, long pts, boolean keyframe, boolean config, ByteBuf payload,
                                long arrivalNanos, long originMicros, long epoch, long sequence) {
        return new Frame(codec, dts, pts, keyframe, config, payload, arrivalNanos, originMicros, epoch, sequence);
    }

    /**
     * This frame for another stream (a rendition passing its source's audio on): the same payload,
     * shared, but unnumbered and with no encoded forms yet, since both are the stream's: the other
     * stream numbers it in its own sequence, and its relay encoding carries that number.
     */
    public Frame forAnotherStream() {
        return new Frame(codec, dts, pts, keyframe, config, payload.retainedDuplicate(), arrivalNanos, originMicros, 0, -1);
    }

    public TrackType track() {
        return codec.track();
    }

    public Codec codec() {
        return codec;
    }

    public long dts() {
        return dts;
    }

    public long pts() {
        return pts;
    }

    /** Video: an IDR/random-access frame. Audio frames are always keyframes. */
    public boolean isKeyframe() {
        return keyframe;
    }

    public boolean isConfig() {
        return config;
    }

    public boolean isVideoKeyframe() {
        return keyframe && !config && codec.track() == TrackType.VIDEO;
    }

    /** The coded bytes; not retained for the caller. */
    public ByteBuf payload() {
        return payload;
    }

    public long arrivalNanos() {
        return arrivalNanos;
    }

    /** Wall-clock microseconds when the frame entered the cluster at its origin node. */
    public long originMicros() {
        return originMicros;
    }

    /** The frame's number in its stream within its {@link #epoch()}, from the origin; -1 before the hub stamped it. */
    public long sequence() {
        return sequence;
    }

    /** The epoch of the origin claim the frame was published under; 0 on a single node. */
    public long epoch() {
        return epoch;
    }

    /**
     * Numbers a frame the hub is about to share; only the publisher's loop calls this, before any
     * reader sees the frame (handing it to another loop publishes the write). A frame already
     * numbered (a relayed one) keeps its number.
     */
    public void stampSequence(long epoch, long sequence) {
        if (this.sequence < 0) {
            this.epoch = epoch;
            this.sequence = sequence;
        }
    }

    /**
     * This frame in the given wire form, encoded on first use and cached for every later caller.
     * The returned buffer belongs to the frame: callers that keep or write it take
     * {@code retainedDuplicate()}. Safe to call from several threads; a lost race releases its copy.
     */
    public ByteBuf encoded(FrameFormat format, ByteBufAllocator alloc) {
        AtomicReferenceArray<ByteBuf> forms = encoded;
        if (forms == null) {
            ENCODED.compareAndSet(this, null, new AtomicReferenceArray<ByteBuf>(FrameFormat.MAX_FORMATS));
            forms = encoded;
        }
        int id = format.id();
        ByteBuf cached = forms.get(id);
        if (cached != null) {
            return cached;
        }
        ByteBuf made = format.encode(this, alloc);
        if (forms.compareAndSet(id, null, made)) {
            return made;
        }
        made.release();
        return forms.get(id);
    }

    @Override
    protected void deallocate() {
        payload.release();
        AtomicReferenceArray<ByteBuf> forms = encoded;
        if (forms != null) {
            for (int i = 0; i < forms.length(); i++) {
                ByteBuf b = forms.getAndSet(i, null);
                if (b != null) {
                    b.release();
                }
            }
        }
    }

    @Override
    public Frame retain() {
        super.retain();
        return this;
    }

    @Override
    public Frame touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    public ReferenceCounted touch() {
        return touch(null);
    }

    @Override
    public String toString() {
        return codec + (config ? " config" : keyframe && track() == TrackType.VIDEO ? " key" : "")
                + " dts=" + dts + " pts=" + pts + " size=" + payload.readableBytes();
    }
}
