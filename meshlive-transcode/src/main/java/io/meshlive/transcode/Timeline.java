package io.meshlive.transcode;

import java.util.ArrayDeque;

/**
 * Gives encoded packets the input's timestamps. Positions count samples at the encoder's rate
 * from the start of an encoder; an anchor says which input dts a position stands for, and later
 * positions follow at the sample rate, so jitter in the input's timestamps (RTMP rounds to
 * milliseconds) never reaches the output.
 *
 * <p>A new anchor is set when the input stops being continuous: it goes backwards (a publisher
 * restart), runs ahead of the samples by more than {@link #MAX_GAP_US} (a lost or corrupt frame,
 * Opus DTX: the output keeps the same gap, so audio stays in step with video), or falls behind
 * them by more than {@link #MAX_LAG_US} (its clock runs slow). Packets still in flight when that
 * happens keep the anchor their samples came under.
 */
final class Timeline {
    /** More than a rounding error, less than the shortest lost frame worth keeping in step with (20 ms). */
    static final long MAX_GAP_US = 10_000;
    static final long MAX_LAG_US = 200_000;
    private static final long MICROS = 1_000_000;

    private record Anchor(long position, long dts) {
    }

    private final int sampleRate;
    private final ArrayDeque<Anchor> anchors = new ArrayDeque<>(2);
    private long lastInputDts;

    Timeline(int sampleRate) {
        this.sampleRate = sampleRate;
    }

    /**
     * Places input samples that start at {@code position} and carry {@code dts}; returns whether
     * that set a new anchor (always for the first input).
     */
    boolean place(long position, long dts) {
        Anchor last = anchors.peekLast();
        boolean continuous = false;
        if (last != null) {
            long expected = dtsAt(last, position);
            continuous = dts >= lastInputDts && dts - expected <= MAX_GAP_US && expected - dts <= MAX_LAG_US;
        }
        lastInputDts = dts;
        if (!continuous) {
            anchors.addLast(new Anchor(position, dts));
        }
        return !continuous;
    }

    /** The dts of the packet whose samples start at {@code position}; positions must not decrease between calls. */
    long dtsAt(long position) {
        if (anchors.isEmpty()) {
            throw new IllegalStateException("no input placed yet");
        }
        while (anchors.size() > 1) {
            Anchor head = anchors.pollFirst();
            if (anchors.peekFirst().position() > position) {
                anchors.addFirst(head);
                break;
            }
        }
        return dtsAt(anchors.peekFirst(), position);
    }

    private long dtsAt(Anchor anchor, long position) {
        return anchor.dts() + (position - anchor.position()) * MICROS / sampleRate;
    }
}
