package io.meshlive.transcode.video;

/**
 * Which decoded pictures every rendition of a ladder encodes as an IDR: where the source has a
 * keyframe, or (with a fixed GOP) every {@code gopFrames} pictures, and any picture a viewer asked
 * a keyframe for. Decided once per picture for the whole ladder, so the renditions' GOPs line up.
 * Decoder thread only.
 */
final class IdrCadence {
    private final int gopFrames;
    private int sinceIdr;

    /** @param gopFrames pictures per GOP; 0 follows the source's keyframes */
    IdrCadence(int gopFrames) {
        this.gopFrames = gopFrames;
        this.sinceIdr = gopFrames; // the first picture opens a GOP
    }

    /** Whether the next picture is an IDR. A requested IDR starts a new GOP, so none runs longer than asked. */
    boolean next(boolean sourceKeyframe, boolean requested) {
        boolean idr = requested || (gopFrames == 0 ? sourceKeyframe : sinceIdr >= gopFrames);
        sinceIdr = idr ? 1 : sinceIdr + 1;
        return idr;
    }
}
