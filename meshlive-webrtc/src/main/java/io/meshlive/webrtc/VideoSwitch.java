package io.meshlive.webrtc;

/**
 * Which stream's video frames a viewer sends, and the move to another at a keyframe, so the
 * browser sees one unbroken line of sequence numbers and rising timestamps that turns into the
 * new picture with the new stream's parameter sets and IDR. Renditions carry their source's
 * timestamps and have a keyframe wherever it has one, so the move is at the first keyframe of the
 * target that is later than the last frame sent:
 * <ul>
 * <li>a target ahead of the current stream (the source, when moving up from a rendition, as
 * encoding delays a rendition) shows that keyframe first, and the move is at once;</li>
 * <li>a target behind it (a rendition, moving down from the source) shows it later: the current
 * stream stops at its own keyframe, the target's keyframe for the same instant follows a few
 * frames later, and the picture holds meanwhile.</li>
 * </ul>
 * A target that brings no keyframe by the current stream's next one is given up. The keyframe
 * a stream replays from its cache when subscribed is older than what was sent, so it never
 * serves. Pure logic over feeds of type {@code F}, compared by identity; the caller sends.
 */
final class VideoSwitch<F> {
    /** What to do with one video frame. */
    enum Action {
        /** Send it. */
        SEND,
        /** Drop it. */
        DROP,
        /** The target is now the current feed: send its parameter sets and this keyframe; let the old feed go. */
        SWITCHED,
        /** The target missed its chance: let it go, and send this keyframe of the current feed. */
        GAVE_UP
    }

    private static final long NOTHING_SENT = Long.MIN_VALUE;

    private F current;
    private F target;
    private boolean started;
    private boolean holding;
    private long lastPts = NOTHING_SENT;

    VideoSwitch(F initial) {
        this.current = initial;
    }

    F current() {
        return current;
    }

    /** The feed being moved to, or null. */
    F target() {
        return target;
    }

    /** Whether video is flowing: a keyframe of the current feed has been sent and no hold is on. */
    boolean playing() {
        return started && !holding;
    }

    /** Start moving to {@code feed}; the caller has subscribed to it. */
    void moveTo(F feed) {
        target = feed;
    }

    /** The target went away before the move: forget it, and if the current feed was held, wait for its next keyframe. */
    void dropTarget() {
        target = null;
        if (holding) {
            holding = false;
            started = false;
        }
    }

    /**
     * Play {@code feed} from its next keyframe, giving up any move: its current feed ended.
     * {@code newTimeline}: the publisher changed, so timestamps start over and any keyframe serves.
     */
    void restart(F feed, boolean newTimeline) {
        current = feed;
        target = null;
        started = false;
        holding = false;
        if (newTimeline) {
            lastPts = NOTHING_SENT;
        }
    }

    /** One video frame (not a decoder configuration) of {@code from}, with its presentation time. */
    Action onFrame(F from, boolean keyframe, long pts) {
        if (from == target) {
            if (keyframe && pts > lastPts) {
                current = target;
                target = null;
                started = true;
                holding = false;
                lastPts = pts;
                return Action.SWITCHED;
            }
            return Action.DROP;
        }
        if (from != current) {
            return Action.DROP;
        }
        Action action = Action.SEND;
        if (keyframe) {
            if (holding) {
                target = null;
                holding = false;
                action = Action.GAVE_UP;
            } else if (target != null && started) {
                holding = true;
                return Action.DROP;
            }
            started = true;
        } else if (!started || holding) {
            return Action.DROP;
        }
        lastPts = Math.max(lastPts, pts);
        return action;
    }
}
