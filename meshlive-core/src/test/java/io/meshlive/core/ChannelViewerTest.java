package io.meshlive.core;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.FrameFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One {@link ChannelViewer} on an {@link EmbeddedChannel}, driven frame by frame with a clock the
 * test sets: where a viewer starts, when it counts as behind its latency budget, how it skips to
 * the next keyframe and gives up after the stall timeout, and that every byte it wrote is the
 * frame's shared encoding.
 */
class ChannelViewerTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int BUDGET_MS = 100;
    private static final int STALL_MS = 1000;
    /** Writes a frame as its first payload byte, so the test reads back which frames went out. */
    private static final FrameFormat FIRST_BYTE = new FrameFormat("first-byte") {
        @Override
        protected ByteBuf encode(Frame frame, ByteBufAllocator alloc) {
            return alloc.buffer(1).writeByte(frame.payload().getByte(frame.payload().readerIndex()));
        }
    };

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final Hub hub = new Hub(new Workers(channel.eventLoop()), new HubSettings(BUDGET_MS, STALL_MS, 100, false, 10_000));
    private final StreamKey key = new StreamKey("live", "viewer");
    private final List<Frame> made = new ArrayList<>();
    private ChannelViewer viewer;
    /** The fake clock: every frame's arrival and every dispatch time is this plus an offset. */
    private long t0;

    @BeforeEach
    void start() {
        viewer = new ChannelViewer("test", channel, hub, key, FIRST_BYTE);
        viewer.start();
        t0 = System.nanoTime() + 10 * MS; // after the viewer's own start time
    }

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
        for (Frame f : made) {
            f.release();
        }
    }

    private Frame video(int id, boolean key, long arrivalMs) {
        return frame(Frame.media(Codec.H264, arrivalMs * 1000, arrivalMs * 1000, key,
                Unpooled.wrappedBuffer(new byte[] {(byte) id}), t0 + arrivalMs * MS));
    }

    private Frame audio(int id, long arrivalMs) {
        return frame(Frame.media(Codec.AAC, arrivalMs * 1000, arrivalMs * 1000, true,
                Unpooled.wrappedBuffer(new byte[] {(byte) id}), t0 + arrivalMs * MS));
    }

    private Frame config(int id, Codec codec) {
        return frame(Frame.config(codec, 0, Unpooled.wrappedBuffer(new byte[] {(byte) id}), t0));
    }

    private Frame frame(Frame f) {
        made.add(f);
        return f;
    }

    /** Hands {@code f} to the viewer as the fan-out would, at {@code nowMs} on the fake clock. */
    private void deliver(Frame f, long nowMs) {
        viewer.onFrame(f, t0 + nowMs * MS);
    }

    /** The ids of the frames written since the last call, in order; the written buffers are released. */
    private List<Integer> written() {
        List<Integer> ids = new ArrayList<>();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            try {
                while (b.isReadable()) {
                    ids.add((int) b.readByte());
                }
            } finally {
                b.release();
            }
        }
        return ids;
    }

    @Test
    void startsAtAKeyframeButSendsConfigurationAtOnce() {
        deliver(config(1, Codec.H264), 0);
        deliver(video(2, false, 0), 0);
        deliver(audio(3, 1), 1);
        deliver(video(4, true, 33), 33);
        deliver(audio(5, 34), 34);
        deliver(video(6, false, 66), 66);
        viewer.flush();

        assertThat(written()).as("config, then from the keyframe on; audio before it waits for video")
                .containsExactly(1, 4, 5, 6);
        assertThat(viewer.skippedFrames()).isZero();
    }

    @Test
    void anAudioOnlyStreamStartsAtOnce() {
        deliver(audio(1, 0), 0);
        deliver(audio(2, 21), 21);
        viewer.flush();

        assertThat(written()).containsExactly(1, 2);
    }

    @Test
    void writesTheFramesSharedEncodingNotACopy() {
        Frame key = video(7, true, 0);
        deliver(key, 0);
        viewer.flush();

        ByteBuf shared = key.encoded(FIRST_BYTE, PooledByteBufAllocator.DEFAULT);
        assertThat(shared.refCnt()).as("the frame's encoding, held by the frame and by the write").isEqualTo(2);
        ByteBuf sent = channel.readOutbound();
        sent.release();
        assertThat(shared.refCnt()).as("the write released its share, the frame keeps the encoding").isEqualTo(1);
        assertThat(viewer.bytesOut()).isEqualTo(1);
    }

    @Test
    void aViewerBehindItsBudgetSkipsToTheNextKeyframe() {
        deliver(video(1, true, 0), 0);          // written, not yet flushed: still pending
        deliver(video(2, false, 50), 50);       // the oldest unsent frame is 50 ms old: within budget
        deliver(video(3, false, 101), 101);     // 101 ms: over the 100 ms budget, skipped
        viewer.flush();                         // the socket catches up
        deliver(video(4, false, 133), 133);     // caught up, but not a keyframe: still skipping
        deliver(audio(5, 140), 140);            // audio of a video stream waits for the keyframe too
        deliver(video(6, true, 166), 166);      // resumes here
        deliver(video(7, false, 200), 200);
        viewer.flush();

        assertThat(written()).containsExactly(1, 2, 6, 7);
        assertThat(viewer.skippedFrames()).isEqualTo(3);
        assertThat(hub.streams().get(key).stats().skippedFrames()).as("counted in the stream's figures too").isEqualTo(3);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aViewerSkippingLongerThanTheStallTimeoutIsClosed() {
        deliver(video(1, true, 0), 0);
        deliver(video(2, false, 150), 150);     // behind: skipping since 150 ms
        viewer.flush();                         // caught up, but no keyframe comes
        deliver(video(3, false, 150 + STALL_MS), 150 + STALL_MS);
        assertThat(channel.isOpen()).as("exactly the stall timeout is still tolerated").isTrue();

        deliver(video(4, false, 151 + STALL_MS), 151 + STALL_MS);

        assertThat(channel.isOpen()).as("closed after skipping for longer than %d ms", STALL_MS).isFalse();
        assertThat(hub.sessions().all()).as("the session is gone").doesNotContain(viewer);
    }

    @Test
    void aPausedViewerResumesAtTheNextKeyframe() {
        deliver(video(1, true, 0), 0);
        viewer.flush();
        viewer.setPaused(true);
        deliver(video(2, false, 33), 33);
        deliver(video(3, true, 66), 66);
        viewer.setPaused(false);
        deliver(video(4, false, 100), 100);
        deliver(video(5, true, 133), 133);
        viewer.flush();

        assertThat(written()).containsExactly(1, 5);
        assertThat(viewer.skippedFrames()).as("a pause is not a skip").isZero();
    }

    @Test
    void afterThePublisherLeavesTheViewerWaitsForTheNewPublishersKeyframe() {
        deliver(video(1, true, 0), 0);
        viewer.onPublisherGone();
        deliver(audio(2, 10), 10);              // the new publisher may have no video: audio starts it
        viewer.flush();
        written();

        viewer.onPublisherGone();
        deliver(config(3, Codec.H264), 20);
        deliver(video(4, false, 30), 30);
        deliver(video(5, true, 60), 60);
        viewer.flush();

        assertThat(written()).containsExactly(3, 5);
    }

    @Test
    void aClosedViewerWritesNothingAndLeavesTheHub() {
        deliver(video(1, true, 0), 0);
        viewer.flush();
        written();

        viewer.close("kicked");
        deliver(video(2, true, 33), 33);
        viewer.flush();

        assertThat(written()).isEmpty();
        assertThat(channel.isOpen()).isFalse();
        assertThat(hub.sessions().all()).doesNotContain(viewer);
    }
}
