package io.meshlive.core;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.meshlive.media.cue.Cue;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One stream's {@link LoopFanout} on an embedded event loop, fed the way {@link Stream} feeds it:
 * what a viewer joining late is given (metadata, configs, the sticky cue, the GOP, in that order),
 * how the GOP cache starts, ends and is capped, one wake-up and one flush per batch, a failing
 * viewer dropped alone, and every frame handed over released exactly once.
 */
class LoopFanoutTest {
    /** Above the audio-only tail (24 frames), so the two limits are seen apart. */
    private static final int GOP_CAP = 40;

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final EventLoop loop = channel.eventLoop();
    private final Hub hub = new Hub(new Workers(loop), new HubSettings(2000, 20_000, GOP_CAP, false, 10_000));
    private final Stream stream = new Stream(new StreamKey("live", "fanout"), hub.streams());
    private final LoopFanout fanout = new LoopFanout(stream, loop);
    private final List<Frame> made = new ArrayList<>();
    private long dts;

    @AfterEach
    void everyFrameReleasedOnce() {
        fanout.dispose();
        channel.finishAndReleaseAll();
        for (Frame f : made) {
            assertThat(f.refCnt()).as("released exactly once: %s", f).isZero();
        }
    }

    private Frame keep(Frame f) {
        made.add(f);
        return f;
    }

    private Frame video(boolean key) {
        dts += 33_000;
        return keep(Frame.media(Codec.H264, dts, dts, key, Unpooled.wrappedBuffer(new byte[] {1}), System.nanoTime()));
    }

    private Frame audio() {
        dts += 21_000;
        return keep(Frame.media(Codec.AAC, dts, dts, true, Unpooled.wrappedBuffer(new byte[] {2}), System.nanoTime()));
    }

    private Frame config(Codec codec) {
        return keep(Frame.config(codec, dts, Unpooled.wrappedBuffer(new byte[] {3}), System.nanoTime()));
    }

    private Frame cue(String id, String kind, boolean sticky) {
        return keep(new Cue(id, kind, "{}", dts, 0, 0, sticky, false).toFrame(PooledByteBufAllocator.DEFAULT, System.nanoTime()));
    }

    /** From the publisher on this loop: the fan-out takes the frame's reference. */
    private void publish(Frame... frames) {
        for (Frame f : frames) {
            fanout.dispatchInPlace(f, System.nanoTime());
        }
        fanout.flushIfDirty();
    }

    private Recorder join() {
        Recorder r = new Recorder(loop);
        fanout.add(r);
        return r;
    }

    @Test
    void aJoinerGetsMetadataThenConfigsThenTheStickyCueThenTheGop() {
        Frame audioConfig = config(Codec.AAC);
        Frame videoConfig = config(Codec.H264);
        Frame metadata = config(Codec.AMF0);
        Frame oldKey = video(true);
        Frame key = video(true);
        Frame a1 = audio();
        Frame sticky = cue("c1", "product", true);
        Frame moment = cue("c2", "vote", false);
        Frame v1 = video(false);
        publish(audioConfig, videoConfig, metadata, oldKey, key, a1, sticky, moment, v1);

        Recorder r = join();

        assertThat(r.frames).as("the GOP from the last keyframe; a non-sticky cue is a moment, never replayed")
                .containsExactly(metadata, videoConfig, audioConfig, sticky, key, a1, v1);
        assertThat(r.flushes).as("the replay goes out in one flush").isEqualTo(1);
    }

    @Test
    void aStickyClearEndsTheStickyCue() {
        publish(config(Codec.H264), cue("c1", "product", true), cue("c2", Cue.CLEAR_KIND, true));
        Frame key = video(true);
        publish(key);

        assertThat(join().frames).as("no sticky cue after a clear").hasSize(2).endsWith(key);
    }

    @Test
    void audioBeforeTheFirstKeyframeOfAVideoStreamIsNotCached() {
        Frame videoConfig = config(Codec.H264);
        Frame key = video(true);
        publish(videoConfig, audio(), video(false), key);

        assertThat(join().frames).containsExactly(videoConfig, key);
    }

    @Test
    void aGopLongerThanTheCapIsDroppedUntilTheNextKeyframe() {
        Frame videoConfig = config(Codec.H264);
        publish(videoConfig, video(true));
        for (int i = 0; i < GOP_CAP; i++) {
            publish(video(false)); // the cap is reached on the last: the cache is dropped
        }
        assertThat(join().frames).as("only the config: no keyframe to start from").containsExactly(videoConfig);
        assertThat(fanout.latestKeyframe()).isNull();

        Frame key = video(true);
        publish(key);
        assertThat(join().frames).containsExactly(videoConfig, key);
    }

    @Test
    void anAudioOnlyStreamKeepsItsRecentTail() {
        List<Frame> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Frame a = audio();
            sent.add(a);
            publish(a);
        }

        assertThat(join().frames).as("about half a second to start with").containsExactlyElementsOf(sent.subList(6, 30));
    }

    @Test
    void framesOfferedFromOtherThreadsWakeTheLoopOnceAndFlushOnce() {
        Recorder r = join();
        Frame key = video(true);
        Frame a = audio();
        Frame v = video(false);
        fanout.offer(key);
        fanout.offer(a);
        fanout.offer(v);
        assertThat(r.frames).as("nothing before the loop runs").isEmpty();

        channel.runPendingTasks();

        assertThat(r.frames).containsExactly(key, a, v);
        assertThat(r.flushes).as("the join's flush and the batch's one flush").isEqualTo(2);
    }

    @Test
    void aFailingViewerIsDroppedAloneAndToldToClose() {
        Recorder broken = join();
        Recorder fine = join();
        broken.failWith = new IllegalStateException("boom");
        Frame key = video(true);
        Frame v = video(false);
        publish(key, v);

        assertThat(broken.closedWith).contains("boom");
        assertThat(fine.frames).containsExactly(key, v);
        assertThat(fine.closedWith).isNull();
    }

    @Test
    void aViewerLeavingDuringADispatchLeavesAfterIt() {
        Recorder leaver = join();
        Recorder other = join();
        leaver.onEachFrame = () -> fanout.remove(leaver);
        Frame key = video(true);
        Frame v = video(false);
        publish(key, v);

        assertThat(leaver.frames).as("removed after the frame it was given").containsExactly(key);
        assertThat(other.frames).containsExactly(key, v);
    }

    @Test
    void whenThePublisherLeavesTheCachesGoAndViewersAreTold() {
        publish(config(Codec.H264), video(true), video(false));
        Recorder r = join();
        fanout.offer(LoopFanout.PUBLISHER_GONE);
        channel.runPendingTasks();

        assertThat(r.publisherGone).isTrue();
        assertThat(join().frames).as("a joiner after it gets nothing of the old publisher").isEmpty();
    }

    @Test
    void theLatestKeyframeComesWithItsConfigBothRetained() {
        Frame videoConfig = config(Codec.H264);
        Frame key = video(true);
        publish(videoConfig, key, video(false));

        LatestKeyframe latest = fanout.latestKeyframe();
        assertThat(latest).isNotNull();
        assertThat(latest.config()).isSameAs(videoConfig);
        assertThat(latest.keyframe()).isSameAs(key);
        assertThat(key.refCnt()).as("the cache's reference and the caller's").isEqualTo(2);
        latest.config().release();
        latest.keyframe().release();
    }

    @Test
    void closingTellsEveryViewerAndDisposingReleasesWhatIsQueued() {
        Recorder r = join();
        publish(config(Codec.H264), video(true));
        fanout.offer(video(false)); // queued, never run
        fanout.closeAll("stream over");

        assertThat(r.closedWith).isEqualTo("stream over");
        fanout.offer(video(true));
        fanout.dispose(); // the @AfterEach checks that both queued frames were released
    }

    /** A subscriber that writes down what it is given. */
    private static final class Recorder implements Subscriber {
        final EventLoop loop;
        final List<Frame> frames = new ArrayList<>();
        int flushes;
        String closedWith;
        boolean publisherGone;
        RuntimeException failWith;
        Runnable onEachFrame = () -> { };

        Recorder(EventLoop loop) {
            this.loop = loop;
        }

        @Override
        public EventLoop eventLoop() {
            return loop;
        }

        @Override
        public void onSubscribed(Stream stream) {
        }

        @Override
        public void onFrame(Frame frame, long nowNanos) {
            if (failWith != null) {
                throw failWith;
            }
            frames.add(frame);
            onEachFrame.run();
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void onPublisherGone() {
            publisherGone = true;
        }

        @Override
        public void onStreamClosed(String reason) {
            closedWith = reason;
        }
    }
}
