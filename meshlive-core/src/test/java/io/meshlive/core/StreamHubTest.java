package io.meshlive.core;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class StreamHubTest {
    private final DefaultEventLoopGroup group = new DefaultEventLoopGroup(2);
    private final Workers workers = new Workers(group);
    private final List<Frame> made = new ArrayList<>();

    @AfterEach
    void shutdown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        for (Frame f : made) {
            assertThat(f.refCnt()).as("every frame released: %s", f).isZero();
        }
    }

    private Hub hub(HubSettings settings) {
        return new Hub(workers, settings);
    }

    private <T> T on(EventLoop loop, Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private Frame video(long ms, boolean key) {
        return track(Frame.media(Codec.H264, ms * 1000, ms * 1000, key, Unpooled.wrappedBuffer(new byte[] {1, 2}), System.nanoTime()));
    }

    private Frame audio(long ms) {
        return track(Frame.media(Codec.AAC, ms * 1000, ms * 1000, true, Unpooled.wrappedBuffer(new byte[] {3}), System.nanoTime()));
    }

    private Frame config(Codec codec) {
        return track(Frame.config(codec, 0, Unpooled.wrappedBuffer(new byte[] {9}), System.nanoTime()));
    }

    private Frame track(Frame f) {
        made.add(f);
        return f;
    }

    /** A subscriber that writes down what it is given. */
    private static final class Recorder implements Subscriber {
        final EventLoop loop;
        final List<String> seen = new CopyOnWriteArrayList<>();
        volatile String closedWith;
        volatile boolean gone;
        volatile RuntimeException failWith;

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
            seen.add(frame.codec() + (frame.isConfig() ? "-config" : frame.isVideoKeyframe() ? "-key" : "") + "@" + frame.dts() / 1000);
        }

        @Override
        public void flush() {
        }

        @Override
        public void onPublisherGone() {
            gone = true;
        }

        @Override
        public void onStreamClosed(String reason) {
            closedWith = reason;
        }
    }

    private static final class TestPublisher extends Session {
        volatile String closedWith;

        TestPublisher() {
            super("test", Role.PUBLISHER, "here");
        }

        @Override
        public void close(String reason) {
            closedWith = reason;
        }
    }

    /** A publisher the hub started on demand. */
    private static final class TestSource extends Session implements DemandSource {
        volatile String closedWith;
        Stream stream;

        TestSource() {
            super("test-source", Role.PUBLISHER, "upstream");
        }

        @Override
        public void close(String reason) {
            closedWith = reason;
            stream.detachPublisher(this);
        }
    }

    @Test
    void aReaderWithoutPublisherStartsOneSourceWhichStopsWhenIdleAndYieldsToALocalPublisher() throws Exception {
        Hub hub = hub(HubSettings.defaults());
        List<TestSource> started = new CopyOnWriteArrayList<>();
        hub.onDemand(stream -> {
            TestSource source = new TestSource();
            source.stream = hub.streams().attachPublisher(stream.key(), source).stream();
            started.add(source);
            return true;
        }, 100);
        StreamKey key = new StreamKey("live", "demand");
        EventLoop loop = workers.loop(0);
        Recorder first = new Recorder(loop);
        Recorder second = new Recorder(loop);
        on(loop, () -> hub.streams().subscribe(key, first));
        on(loop, () -> hub.streams().subscribe(key, second));
        assertThat(started).hasSize(1); // one source however many readers
        Stream stream = hub.streams().get(key);
        on(loop, () -> {
            stream.unsubscribe(first);
            stream.unsubscribe(second);
            return null;
        });
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> started.get(0).closedWith != null);
        assertThat(started.get(0).closedWith).isEqualTo("no readers");
        assertThat(hub.streams().get(key)).isNull();

        // A reader again starts a source again; a host publishing here replaces it, and readers stay.
        Recorder third = new Recorder(loop);
        on(loop, () -> hub.streams().subscribe(key, third));
        assertThat(started).hasSize(2);
        TestPublisher host = new TestPublisher();
        assertThat(hub.streams().attachPublisher(key, host).outcome()).isEqualTo(PublishOutcome.TOOK_OVER);
        assertThat(started.get(1).closedWith).contains("taken over");
        assertThat(third.closedWith).isNull();
        Stream live = hub.streams().get(key);
        on(loop, () -> {
            live.unsubscribe(third);
            live.detachPublisher(host);
            return null;
        });
    }

    @Test
    void theHubNumbersFramesWithinTheOriginEpoch() throws Exception {
        Hub hub = hub(HubSettings.defaults());
        StreamKey key = new StreamKey("live", "seq");
        EventLoop loop = workers.loop(0);
        Stream stream = hub.streams().attachPublisher(key, new TestPublisher()).stream();
        stream.numberFramesInEpoch(5);
        Frame a = video(0, true);
        Frame b = video(33, false);
        on(loop, () -> {
            stream.publish(a.retain());
            stream.publish(b.retain());
            return null;
        });
        assertThat(a.epoch()).isEqualTo(5);
        assertThat(a.sequence()).isEqualTo(1);
        assertThat(b.epoch()).isEqualTo(5);
        assertThat(b.sequence()).isEqualTo(2);
        a.release();
        b.release();
        on(loop, () -> {
            stream.detachPublisher(stream.publisher());
            return null;
        });
    }

    @Test
    void aFramePassedToAnotherStreamIsNumberedThereAndKeepsItsNumberHere() throws Exception {
        Hub hub = hub(HubSettings.defaults());
        EventLoop loop = workers.loop(0);
        Stream source = hub.streams().attachPublisher(new StreamKey("live", "src"), new TestPublisher()).stream();
        Stream rendition = hub.streams().attachPublisher(new StreamKey("live", "src_720p"), new TestPublisher()).stream();
        source.numberFramesInEpoch(5);
        rendition.numberFramesInEpoch(7);
        Frame a = video(0, true);
        Frame[] passed = new Frame[1];
        on(loop, () -> {
            rendition.publish(video(0, true));
            rendition.publish(video(33, false));
            source.publish(a.retain());
            passed[0] = a.forAnotherStream();
            rendition.publish(passed[0].retain());
            return null;
        });
        assertThat(a.epoch()).isEqualTo(5);
        assertThat(a.sequence()).isEqualTo(1);
        assertThat(passed[0].epoch()).isEqualTo(7);
        assertThat(passed[0].sequence()).isEqualTo(3);
        assertThat(passed[0].payload()).isEqualTo(a.payload());
        a.release();
        passed[0].release();
        on(loop, () -> {
            source.detachPublisher(source.publisher());
            rendition.detachPublisher(rendition.publisher());
            return null;
        });
    }

    @Test
    void lateViewerStartsWithConfigThenTheCachedGop() throws Exception {
        Hub hub = hub(HubSettings.defaults());
        StreamKey key = new StreamKey("live", "a");
        EventLoop loop = workers.loop(0);
        Stream stream = hub.streams().attachPublisher(key, new TestPublisher()).stream();
        on(loop, () -> {
            stream.publish(config(Codec.H264));
            stream.publish(config(Codec.AAC));
            stream.publish(video(0, true));
            stream.publish(video(33, false));
            stream.publish(video(66, true));
            stream.publish(audio(70));
            stream.publish(video(100, false));
            return null;
        });
        for (int i = 0; i < workers.size(); i++) {
            Recorder late = new Recorder(workers.loop(i));
            on(late.loop, () -> hub.streams().subscribe(key, late));
            assertThat(late.seen).as("viewer on loop %d", i)
                    .containsExactly("H264-config@0", "AAC-config@0", "H264-key@66", "AAC@70", "H264@100");
        }
        on(loop, () -> {
            stream.publish(video(133, false));
            return null;
        });
        on(loop, () -> {
            stream.detachPublisher(stream.publisher());
            return null;
        });
    }

    @Test
    void secondPublisherIsRefusedUnlessTakeoverIsOn() {
        StreamKey key = new StreamKey("live", "b");
        Hub strict = hub(HubSettings.defaults());
        TestPublisher first = new TestPublisher();
        assertThat(strict.streams().attachPublisher(key, first).outcome()).isEqualTo(PublishOutcome.STARTED);
        assertThat(strict.streams().attachPublisher(key, new TestPublisher()).outcome()).isEqualTo(PublishOutcome.BUSY);
        assertThat(first.closedWith).isNull();

        HubSettings d = HubSettings.defaults();
        Hub lenient = hub(new HubSettings(d.latencyBudgetMillis(), d.stallTimeoutMillis(), d.gopCacheMaxFrames(), true,
                d.publisherGoneTimeoutMillis()));
        TestPublisher old = new TestPublisher();
        lenient.streams().attachPublisher(key, old);
        TestPublisher next = new TestPublisher();
        StreamRegistry.Attached took = lenient.streams().attachPublisher(key, next);
        assertThat(took.outcome()).isEqualTo(PublishOutcome.TOOK_OVER);
        assertThat(old.closedWith).contains("taken over");
        assertThat(took.stream().publisher()).isSameAs(next);
    }

    @Test
    void aFailingSubscriberIsDroppedAndTheOthersGoOn() throws Exception {
        Hub hub = hub(HubSettings.defaults());
        StreamKey key = new StreamKey("live", "c");
        EventLoop loop = workers.loop(0);
        Stream stream = hub.streams().attachPublisher(key, new TestPublisher()).stream();
        Recorder bad = new Recorder(loop);
        Recorder good = new Recorder(loop);
        on(loop, () -> hub.streams().subscribe(key, bad));
        on(loop, () -> hub.streams().subscribe(key, good));
        bad.failWith = new IllegalStateException("boom");
        on(loop, () -> {
            stream.publish(video(0, true));
            stream.publish(video(33, false));
            return null;
        });
        assertThat(bad.closedWith).contains("boom");
        assertThat(good.seen).containsExactly("H264-key@0", "H264@33");
        on(loop, () -> {
            stream.unsubscribe(good);
            stream.detachPublisher(stream.publisher());
            return null;
        });
    }

    @Test
    void viewersAreToldWhenThePublisherGoesAndClosedAfterTheTimeout() throws Exception {
        HubSettings d = HubSettings.defaults();
        Hub hub = hub(new HubSettings(d.latencyBudgetMillis(), d.stallTimeoutMillis(), d.gopCacheMaxFrames(), false, 200));
        StreamKey key = new StreamKey("live", "d");
        EventLoop loop = workers.loop(1);
        TestPublisher publisher = new TestPublisher();
        Stream stream = hub.streams().attachPublisher(key, publisher).stream();
        Recorder viewer = new Recorder(loop);
        on(loop, () -> hub.streams().subscribe(key, viewer));
        on(loop, () -> {
            stream.publish(video(0, true));
            return null;
        });
        stream.detachPublisher(publisher);
        await().atMost(Duration.ofSeconds(3)).until(() -> viewer.closedWith != null);
        assertThat(viewer.gone).isTrue();
        assertThat(viewer.closedWith).isEqualTo("publisher gone");
        on(loop, () -> {
            stream.unsubscribe(viewer);
            return null;
        });
        assertThat(hub.streams().get(key)).as("an unused stream is dropped").isNull();
    }

    @Test
    void publishListenersHearEachStreamInOrderUnderItsLock() {
        HubSettings d = HubSettings.defaults();
        Hub hub = hub(new HubSettings(d.latencyBudgetMillis(), d.stallTimeoutMillis(), d.gopCacheMaxFrames(), true,
                d.publisherGoneTimeoutMillis()));
        StreamKey key = new StreamKey("live", "listened");
        List<String> heard = new CopyOnWriteArrayList<>();
        hub.onPublish(new PublishListener() {
            @Override
            public void published(Stream stream, Session publisher) {
                // Under the lock, a reconnecting publisher cannot be announced before the old one's end.
                heard.add("published " + publisher.id() + " locked=" + Thread.holdsLock(stream));
            }

            @Override
            public void unpublished(Stream stream, Session publisher) {
                heard.add("unpublished " + publisher.id() + " locked=" + Thread.holdsLock(stream));
            }
        });
        TestPublisher a = new TestPublisher();
        TestPublisher b = new TestPublisher();
        TestPublisher c = new TestPublisher();
        Stream stream = hub.streams().attachPublisher(key, a).stream();
        hub.streams().attachPublisher(key, b); // takeover
        stream.detachPublisher(a);             // the old session's own late detach: not heard again
        stream.detachPublisher(b);
        Stream next = hub.streams().attachPublisher(key, c).stream();
        next.detachPublisher(c);
        assertThat(heard).containsExactly(
                "published " + a.id() + " locked=true",
                "unpublished " + a.id() + " locked=true",
                "published " + b.id() + " locked=true",
                "unpublished " + b.id() + " locked=true",
                "published " + c.id() + " locked=true",
                "unpublished " + c.id() + " locked=true");
    }

    @Test
    void streamNamesRefusePathTraversal() {
        assertThat(new StreamKey("live", "room-1.hd").toString()).isEqualTo("live/room-1.hd");
        for (String bad : new String[] {"..", "../x", "a/b", "", ".hidden", "a b", "a\u0000b"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new StreamKey("live", bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
