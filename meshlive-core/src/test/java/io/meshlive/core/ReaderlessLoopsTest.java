package io.meshlive.core;

import io.meshlive.media.Codec;
import io.meshlive.media.Frame;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stream's frames reach every event loop, but a loop with no reader of the stream is not woken
 * for each one: what it needs (configuration, GOP) it takes in one go. This checks that a reader
 * joining such a loop still starts at the latest keyframe and then gets every frame at once,
 * and prints what publishing costs the loops with no readers.
 */
class ReaderlessLoopsTest {
    private static final int LOOPS = 4;
    private final EventLoopGroup group = Transport.group(LOOPS, "readerless-test");
    private final Workers workers = new Workers(group);
    private final Hub hub = new Hub(workers, HubSettings.defaults());

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Publisher extends Session {
        Publisher() {
            super("test", Role.PUBLISHER, "here");
        }

        @Override
        public void close(String reason) {
        }
    }

    /** Writes down the dts (ms) of each frame it is given, "c" for a config. */
    private static final class Reader implements Subscriber {
        final EventLoop loop;
        final List<String> seen = new CopyOnWriteArrayList<>();

        Reader(EventLoop loop) {
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
            seen.add(frame.isConfig() ? "c" : String.valueOf(frame.dts() / 1000));
        }

        @Override
        public void flush() {
        }

        @Override
        public void onPublisherGone() {
        }

        @Override
        public void onStreamClosed(String reason) {
        }
    }

    private static Frame video(long ms, boolean key) {
        return Frame.media(Codec.H264, ms * 1000, ms * 1000, key, Unpooled.wrappedBuffer(new byte[] {1, 2}), System.nanoTime());
    }

    private static void publish(Stream stream, Frame frame) {
        stream.publish(frame);
        stream.endOfBatch();
    }

    private static void run(EventLoop loop, Runnable task) throws Exception {
        loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aReaderJoiningALoopWithoutReadersStartsAtTheLatestKeyframeAndThenGetsEachFrameAtOnce() throws Exception {
        EventLoop publisherLoop = workers.loop(0);
        EventLoop readerLoop = workers.loop(2);
        Stream stream = hub.streams().attachPublisher(new StreamKey("live", "cold"), new Publisher()).stream();
        run(publisherLoop, () -> {
            publish(stream, Frame.config(Codec.H264, 0, Unpooled.wrappedBuffer(new byte[] {9}), System.nanoTime()));
            for (int i = 0; i < 10; i++) {
                publish(stream, video(i * 40L, i % 5 == 0)); // keyframes at 0 and 200 ms
            }
        });
        AtomicReference<String> latest = new AtomicReference<>();
        CountDownLatch read = new CountDownLatch(1);
        readerLoop.execute(() -> stream.latestKeyframe(k -> {
            latest.set(k == null ? "none" : String.valueOf(k.keyframe().dts() / 1000));
            if (k != null) {
                k.release();
            }
            read.countDown();
        }));
        assertThat(read.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(latest.get()).as("the keyframe a loop without readers holds for a snapshot").isEqualTo("200");

        Reader reader = new Reader(readerLoop);
        run(readerLoop, () -> assertThat(stream.subscribe(reader)).isTrue());
        assertThat(reader.seen).containsExactly("c", "200", "240", "280", "320", "360");
        for (int i = 10; i < 13; i++) {
            long ms = i * 40L;
            run(publisherLoop, () -> publish(stream, video(ms, false)));
            await("frame " + ms + " on the reader's loop").atMost(Duration.ofSeconds(5))
                    .until(() -> reader.seen.contains(String.valueOf(ms)));
        }
        run(readerLoop, () -> stream.unsubscribe(reader));
        run(publisherLoop, () -> stream.detachPublisher(stream.publisher()));
    }

    /**
     * Twenty streams published from one loop at 25 frames/s each, no reader anywhere: the CPU the
     * publisher's loop and the three others spend per frame. Buffer leak tracking (PARANOID in
     * tests) is off while measuring, as in production: it records a stack per retain and release.
     */
    @Test
    void printsWhatPublishingCostsLoopsWithoutReaders() throws Exception {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        List<Long> threads = new ArrayList<>();
        for (int i = 0; i < LOOPS; i++) {
            run(workers.loop(i), () -> threads.add(Thread.currentThread().getId()));
        }
        int streams = 20;
        int frames = 2500;
        List<Stream> published = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            published.add(hub.streams().attachPublisher(new StreamKey("live", "s" + s), new Publisher()).stream());
        }
        EventLoop publisherLoop = workers.loop(0);
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        long publisher0 = cpu.getThreadCpuTime(threads.get(0));
        long others0 = threads.stream().skip(1).mapToLong(cpu::getThreadCpuTime).sum();
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        // One frame every 2 ms, round robin: 500 frames/s over the streams, as sockets deliver them.
        ScheduledFuture<?> ticks = publisherLoop.scheduleAtFixedRate(() -> {
            int n = sent.getAndIncrement();
            if (n >= frames) {
                done.countDown();
                return;
            }
            int frameOfStream = n / streams;
            publish(published.get(n % streams), video(frameOfStream * 40L, frameOfStream % 50 == 0));
        }, 0, 2, TimeUnit.MILLISECONDS);
        try {
            assertThat(done.await(60, TimeUnit.SECONDS)).as("all frames published").isTrue();
        } finally {
            ticks.cancel(false);
            ResourceLeakDetector.setLevel(level);
        }
        run(publisherLoop, () -> { });
        for (int i = 1; i < LOOPS; i++) {
            run(workers.loop(i), () -> { }); // each loop has drained what it was woken for
        }
        double publisher = (cpu.getThreadCpuTime(threads.get(0)) - publisher0) / 1000.0 / frames;
        double others = (threads.stream().skip(1).mapToLong(cpu::getThreadCpuTime).sum() - others0) / 1000.0 / frames;
        System.out.printf("publishing %d frames on %d streams from 1 of %d loops, no readers: per frame, %.1f us of the "
                        + "publisher's loop, %.1f us of the %d loops without readers (%s transport)%n",
                frames, streams, LOOPS, publisher, others, LOOPS - 1, Transport.name());
        for (Stream s : published) {
            run(publisherLoop, () -> s.detachPublisher(s.publisher()));
        }
    }
}
