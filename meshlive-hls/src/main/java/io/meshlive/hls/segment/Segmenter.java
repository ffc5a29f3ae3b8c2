package io.meshlive.hls.segment;

import io.meshlive.media.Frame;
import io.meshlive.media.TrackType;

/**
 * Decides where segments and LL-HLS parts begin and end, from the frames of one stream.
 *
 * <p>Segments start on a keyframe (any audio frame when the stream has no video) and close at the
 * first keyframe at or after the target duration, so every segment is independently decodable
 * and renditions cut at the same keyframes stay aligned. Parts close at the first frame at or after
 * the part target, and always with their segment; a part is independent when it starts on a
 * keyframe. Video drives the boundaries when there is video; audio frames fall into the part that
 * is open when they arrive, which keeps them within a frame time of their video.
 *
 * <p>A timestamp that goes backwards or jumps forward by more than {@link #MAX_JUMP_MICROS}
 * (a new publisher, or an encoder restart) closes the segment and marks the next one
 * discontinuous. One stream's loop calls this; it is not thread-safe.
 */
public final class Segmenter {
    /** A forward jump larger than this is a new timeline, not a gap. */
    static final long MAX_JUMP_MICROS = 5_000_000;
    /** Frame timestamps are rounded to the millisecond in FLV/RTMP; absorb that when comparing to targets. */
    private static final long SLACK_MICROS = 1_000;

    /** What the segmenter decided; the packager muxes and publishes accordingly. */
    public interface Listener {
        /** A new segment starts with the frame about to be given to {@link #frame}. */
        void segmentStarted(long sequence, long firstDts, boolean discontinuity);

        /** A new part of the current segment starts with the frame about to be given. */
        void partStarted(long sequence, int part, boolean independent);

        /** The frame belongs to the current part. */
        void frame(Frame frame);

        /** The current part ends at {@code endDts} (the next part's start, or the segment's end). */
        void partEnded(long sequence, int part, long endDts);

        /** The current segment ends at {@code endDts}. */
        void segmentEnded(long sequence, long endDts);
    }

    private final long targetMicros;
    private final long partTargetMicros;
    private final Listener listener;

    private boolean hasVideo;
    private boolean open;
    private long sequence = -1;
    private long segmentStart;
    private int part;
    private long partStart;
    private long lastDts = Long.MIN_VALUE;
    private boolean pendingDiscontinuity;

    /**
     * @param partTargetMicros 0 for classic HLS (no parts)
     * @param hasVideo         the stream has a video track (known from its codec configuration), so
     *                         audio arriving before the first keyframe waits for it
     */
    public Segmenter(long targetMicros, long partTargetMicros, boolean hasVideo, Listener listener) {
        this.targetMicros = targetMicros;
        this.partTargetMicros = partTargetMicros;
        this.hasVideo = hasVideo;
        this.listener = listener;
    }

    /** The next media frame of the stream (config and data frames are the packager's business). */
    public void accept(Frame frame) {
        boolean video = frame.track() == TrackType.VIDEO;
        hasVideo |= video;
        boolean boundary = video || !hasVideo; // the frames that may cut
        long dts = frame.dts();
        if (boundary) {
            if (lastDts != Long.MIN_VALUE && (dts < lastDts - SLACK_MICROS || dts - lastDts > MAX_JUMP_MICROS)) {
                closeSegment(lastDts);
                pendingDiscontinuity = true;
            }
            lastDts = dts;
            if (!open) {
                if (!frame.isKeyframe()) {
                    return; // wait for a frame a segment can start with
                }
                openSegment(dts);
            } else if (frame.isKeyframe() && dts - segmentStart >= targetMicros - SLACK_MICROS) {
                closeSegment(dts);
                openSegment(dts);
            } else if (partTargetMicros > 0 && dts - partStart >= partTargetMicros - SLACK_MICROS) {
                listener.partEnded(sequence, part, dts);
                part++;
                partStart = dts;
                listener.partStarted(sequence, part, frame.isKeyframe());
            }
        } else if (!open) {
            return;
        }
        listener.frame(frame);
    }

    private void openSegment(long dts) {
        open = true;
        sequence++;
        segmentStart = dts;
        part = 0;
        partStart = dts;
        listener.segmentStarted(sequence, dts, pendingDiscontinuity && sequence > 0);
        pendingDiscontinuity = false;
        if (partTargetMicros > 0) {
            listener.partStarted(sequence, 0, true);
        }
    }

    private void closeSegment(long endDts) {
        if (!open) {
            return;
        }
        if (partTargetMicros > 0) {
            listener.partEnded(sequence, part, endDts);
        }
        listener.segmentEnded(sequence, endDts);
        open = false;
    }

    /** The publisher left: close what is open; the next frame starts a discontinuous segment. */
    public void end() {
        closeSegment(lastDts);
        pendingDiscontinuity = true;
        lastDts = Long.MIN_VALUE;
    }
}
